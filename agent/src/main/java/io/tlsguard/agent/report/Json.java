package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

/** Field helpers shared by the events: optional fields are omitted, not written as null. */
final class Json {
    /** Per thread: the formatter and the last second it formatted (events come many to a second). */
    private static final ThreadLocal<IsoClock> ISO = ThreadLocal.withInitial(IsoClock::new);

    private Json() {
    }

    static String iso(long millis) {
        return ISO.get().format(millis);
    }

    /**
     * yyyy-MM-ddTHH:mm:ss.SSSZ in UTC; SimpleDateFormat only when the second changes, the milliseconds
     * appended. Two slots, because events interleave "now" with a certificate's not_after.
     */
    private static final class IsoClock {
        private final SimpleDateFormat seconds = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.", Locale.ROOT);
        private final long[] second = {Long.MIN_VALUE, Long.MIN_VALUE};
        private final String[] prefix = new String[2];
        private int next;

        IsoClock() {
            seconds.setTimeZone(TimeZone.getTimeZone("UTC"));
        }

        String format(long millis) {
            long s = Math.floorDiv(millis, 1000);
            int slot = second[0] == s ? 0 : second[1] == s ? 1 : -1;
            if (slot < 0) {
                slot = next;
                next ^= 1;
                second[slot] = s;
                prefix[slot] = seconds.format(new Date(s * 1000));
            }
            int ms = (int) Math.floorMod(millis, 1000);
            return prefix[slot] + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10) + 'Z';
        }
    }

    /**
     * Strings from the network (SNI, certificate names, exception messages) may hold anything. Jackson
     * escapes quotes and control characters; a lone surrogate would make invalid UTF-8, so it is replaced.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return replaceLoneSurrogates(s);
                }
                i++;
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, clean(value));
        }
    }

    static void number(JsonGenerator json, String name, int value) throws IOException {
        if (value >= 0) {
            json.writeNumberField(name, value);
        }
    }

    static void bool(JsonGenerator json, String name, Boolean value) throws IOException {
        if (value != null) {
            json.writeBooleanField(name, value);
        }
    }

    static void strings(JsonGenerator json, String name, String[] values) throws IOException {
        if (values != null) {
            json.writeArrayFieldStart(name);
            for (String v : values) {
                json.writeString(clean(v));
            }
            json.writeEndArray();
        }
    }

    /** tls.protocol.version: the numeric part of a JSSE name ("TLSv1.2" to "1.2", "SSLv3" to "3"). */
    static String protocolVersion(String protocol) {
        if (protocol == null) {
            return null;
        }
        int v = protocol.indexOf('v');
        String version = v >= 0 ? protocol.substring(v + 1) : protocol;
        return version.equals("1.0") ? "1" : version;
    }

    /** tls.protocol.name: "ssl" or "tls" (lower case, as OpenTelemetry writes it). */
    static String protocolName(String protocol) {
        if (protocol == null) {
            return null;
        }
        int v = protocol.indexOf('v');
        return (v > 0 ? protocol.substring(0, v) : protocol).toLowerCase(Locale.ROOT);
    }

    /** tls.cipher: the IANA name; JSSE still calls some suites SSL_* (IANA: TLS_*). */
    static String ianaCipher(String cipher) {
        return cipher != null && cipher.startsWith("SSL_") ? "TLS_" + cipher.substring(4) : cipher;
    }
}
