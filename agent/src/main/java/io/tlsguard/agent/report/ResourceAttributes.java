package io.tlsguard.agent.report;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code OTEL_RESOURCE_ATTRIBUTES}: {@code key=value,key2=value2} (W3C baggage's syntax without its
 * properties), values percent-encoded UTF-8, as OpenTelemetry's SDKs read it. The environment is not trusted:
 * a pair that is malformed, too long or names one of tlsguard's own fields is left out, and at most
 * {@link #MAX_PAIRS} are kept, so a hostile variable cannot bloat every line.
 */
final class ResourceAttributes {
    static final int MAX_PAIRS = 32;
    static final int MAX_LENGTH = 256;

    /** The fields tlsguard itself writes on a line (besides the identity's own, see {@link #isOwnField}). */
    private static final String[] OWN_FIELDS = {
        "event.name",
        "timestamp",
        "count",
        "severity_text",
        "severity_number",
        "host.name",
        "process.pid",
        "process.runtime.name",
        "process.runtime.version",
        "process.command"
    };
    /** Namespaces of tlsguard's event fields: the schema keeps them strict, so a user's pair may not use them. */
    private static final String[] OWN_NAMESPACES = {
        "tls.", "tlsguard.", "code.", "thread.", "server.", "client.", "network.", "error.", "exception.", "event."
    };

    private ResourceAttributes() {}

    /** The pairs in the order given (a repeated key keeps its first place and its last value); never null. */
    static Map<String, String> parse(String variable) {
        Map<String, String> pairs = new LinkedHashMap<String, String>();
        if (variable == null) {
            return pairs;
        }
        int start = 0;
        while (start <= variable.length() && pairs.size() < MAX_PAIRS) {
            int end = variable.indexOf(',', start);
            if (end < 0) {
                end = variable.length();
            }
            addPair(pairs, variable.substring(start, end));
            start = end + 1;
        }
        return pairs;
    }

    private static void addPair(Map<String, String> pairs, String item) {
        int eq = item.indexOf('=');
        if (eq < 0) {
            return;
        }
        String key = item.substring(0, eq).trim();
        String value = decode(item.substring(eq + 1).trim());
        if (validKey(key) && !isOwnField(key) && bounded(value) != null) {
            pairs.put(key, value);
        }
    }

    /** Printable ASCII without the separators of the syntax or '%' (keys are not encoded), at most {@link #MAX_LENGTH} characters. */
    static boolean validKey(String key) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ',' || c == '=' || c == ';' || c == '"' || c == '\\' || c == '%') {
                return false;
            }
        }
        return true;
    }

    /** Whether tlsguard writes a field of that name itself: the user's pair would collide with it. */
    static boolean isOwnField(String key) {
        for (String own : OWN_FIELDS) {
            if (own.equals(key)) {
                return true;
            }
        }
        for (String namespace : OWN_NAMESPACES) {
            if (key.startsWith(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** The value when it is not empty, at most {@link #MAX_LENGTH} characters and free of control characters. */
    static String bounded(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                return null;
            }
        }
        return v;
    }

    /**
     * Percent-decodes UTF-8 ({@code %20} to a space; '+' stays '+', as in baggage); null when an escape is cut
     * short, not hex, or the bytes are not UTF-8, or the value holds baggage properties (';'), which
     * OpenTelemetry's variable does not support.
     */
    static String decode(String encoded) {
        if (encoded.indexOf(';') >= 0) {
            return null;
        }
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '%') {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                continue;
            }
            if (i + 2 >= encoded.length()) {
                return null;
            }
            int high = Character.digit(encoded.charAt(i + 1), 16);
            int low = Character.digit(encoded.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
