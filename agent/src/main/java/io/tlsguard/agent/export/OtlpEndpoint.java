package io.tlsguard.agent.export;

import java.io.ByteArrayOutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the log records go: the logs URL, the request headers and the per-request timeout. From the
 * {@code otlp=URL} option ({@code URL/v1/logs}, no headers, 10 s), or with {@code otlp=env} from the
 * variables of the OpenTelemetry exporter specification: {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT} (used as
 * is), else {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/logs}, else {@code http://localhost:4318/v1/logs};
 * {@code OTEL_EXPORTER_OTLP_[LOGS_]HEADERS} ({@code key=value,...}, values percent-decoded) and
 * {@code OTEL_EXPORTER_OTLP_[LOGS_]TIMEOUT} (milliseconds), the logs-specific one first.
 *
 * <p>Headers often carry credentials (an API key, a bearer token): {@link #toString()} and every message
 * name the URL without its user info and never a header's value.
 */
public final class OtlpEndpoint {
    static final String DEFAULT_ENDPOINT = "http://localhost:4318";
    static final String LOGS_PATH = "v1/logs";
    static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final URL url;
    private final Map<String, String> headers;
    private final int timeoutMillis;

    OtlpEndpoint(URL url, Map<String, String> headers, int timeoutMillis) {
        this.url = url;
        this.headers = Collections.unmodifiableMap(headers);
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The endpoint for the {@code otlp=} option's value (a base URL, or "env" with {@code env} as the
     * environment).
     *
     * @throws IllegalArgumentException one line saying what is wrong (never a header's value)
     */
    public static OtlpEndpoint of(String option, Map<String, String> env) {
        if (!option.equals("env")) {
            return new OtlpEndpoint(
                    url(withLogsPath(option), "option otlp="),
                    new LinkedHashMap<String, String>(),
                    DEFAULT_TIMEOUT_MILLIS);
        }
        String logs = nonEmpty(env.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
        String base = nonEmpty(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        URL url;
        if (logs != null) {
            url = url(logs, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=");
        } else {
            url = url(withLogsPath(base != null ? base : DEFAULT_ENDPOINT), "OTEL_EXPORTER_OTLP_ENDPOINT=");
        }
        String headers = nonEmpty(env.get("OTEL_EXPORTER_OTLP_LOGS_HEADERS"));
        String headersVariable = "OTEL_EXPORTER_OTLP_LOGS_HEADERS";
        if (headers == null) {
            headers = nonEmpty(env.get("OTEL_EXPORTER_OTLP_HEADERS"));
            headersVariable = "OTEL_EXPORTER_OTLP_HEADERS";
        }
        String timeout = nonEmpty(env.get("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT"));
        String timeoutVariable = "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT";
        if (timeout == null) {
            timeout = nonEmpty(env.get("OTEL_EXPORTER_OTLP_TIMEOUT"));
            timeoutVariable = "OTEL_EXPORTER_OTLP_TIMEOUT";
        }
        return new OtlpEndpoint(
                url,
                headers == null ? new LinkedHashMap<String, String>() : headers(headers, headersVariable),
                timeout == null ? DEFAULT_TIMEOUT_MILLIS : timeout(timeout, timeoutVariable));
    }

    /** A base URL + "/v1/logs" (one slash between them, whether or not the base ends in one). */
    static String withLogsPath(String base) {
        return base + (base.endsWith("/") ? "" : "/") + LOGS_PATH;
    }

    private static URL url(String value, String source) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException(source + withoutUserInfo(value) + " is not an http:// or https:// URL");
        }
        try {
            URL url = new URL(value);
            if (url.getHost() == null || url.getHost().isEmpty()) {
                throw new IllegalArgumentException(source + withoutUserInfo(value) + " has no host");
            }
            return url;
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(source + withoutUserInfo(value) + " is not a URL");
        }
    }

    /**
     * {@code key1=value1,key2=value2}: W3C-baggage-like, as the specification says; keys and values
     * trimmed, values percent-decoded. A malformed entry is refused (naming the variable, not the value).
     */
    static Map<String, String> headers(String list, String variable) {
        Map<String, String> headers = new LinkedHashMap<>();
        int n = 0;
        for (String entry : list.split(",")) {
            n++;
            if (entry.trim().isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq > 0 ? entry.substring(0, eq).trim() : "";
            if (key.isEmpty() || !token(key)) {
                throw new IllegalArgumentException(variable + ": entry " + n + " is not key=value");
            }
            String value = percentDecoded(entry.substring(eq + 1).trim());
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(variable + ": the value of " + key + " is not valid");
            }
            headers.put(key, value);
        }
        return headers;
    }

    /** An HTTP header name (RFC 9110 token): letters, digits and !#$%&'*+-.^_`|~. */
    private static boolean token(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** %XX sequences to bytes, then UTF-8 ('+' stays '+': this is not a form); null when malformed. */
    static String percentDecoded(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static int timeout(String value, String variable) {
        try {
            long millis = Long.parseLong(value.trim());
            if (millis > 0) {
                return (int) Math.min(millis, Integer.MAX_VALUE);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(variable + "=" + value + " is not a positive number of milliseconds");
    }

    private static String nonEmpty(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    /** The URL for messages: {@code user:password@} taken out. */
    static String withoutUserInfo(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        int pathStart = url.indexOf('/', scheme + 3);
        if (scheme < 0 || at < 0 || (pathStart >= 0 && at > pathStart)) {
            return url;
        }
        return url.substring(0, scheme + 3) + url.substring(at + 1);
    }

    URL url() {
        return url;
    }

    Map<String, String> headers() {
        return headers;
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    boolean https() {
        return url.getProtocol().equalsIgnoreCase("https");
    }

    /** The logs URL without user info; the headers by name only. */
    @Override
    public String toString() {
        return withoutUserInfo(url.toString());
    }
}
