package io.tlsguard.agent.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One OTLP/HTTP request with the JDK's HttpURLConnection (JDK 8 to 25, no dependency): POST of a JSON
 * body to the logs URL, its answer classified as the OTLP specification says. 2xx: accepted (with the
 * records a partial success rejected); 429, 502, 503, 504 and connection failures: retryable (with the
 * {@code Retry-After} delay when given); anything else: refused, not retried.
 *
 * <p>No proxy (the host's proxy settings are for its own traffic; a collector is usually a local agent
 * or sidecar), no redirects, no caches. An https collector is checked with the JVM's default trust
 * store, as the host's own HTTPS clients are.
 */
final class OtlpHttp {
    /** What is read of an answer's body at most: the partial success, or a line of the error. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final OtlpEndpoint endpoint;
    private final String userAgent;
    private final JsonFactory json = new JsonFactory();

    OtlpHttp(OtlpEndpoint endpoint, String version) {
        this.endpoint = endpoint;
        this.userAgent = "tlsguard/" + version;
    }

    static final class Outcome {
        final int status; // -1: no answer (connection failed or timed out)
        final boolean retryable;
        final long retryAfterMillis; // -1: none given
        final long rejected;
        final String reason;

        Outcome(int status, boolean retryable, long retryAfterMillis, long rejected, String reason) {
            this.status = status;
            this.retryable = retryable;
            this.retryAfterMillis = retryAfterMillis;
            this.rejected = rejected;
            this.reason = reason;
        }

        boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    Outcome post(byte[] body, int timeoutMillis) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.url().openConnection(Proxy.NO_PROXY);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(Math.max(1, timeoutMillis));
            c.setReadTimeout(Math.max(1, timeoutMillis));
            c.setFixedLengthStreamingMode(body.length); // also: the JDK never re-sends a POST on its own
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("User-Agent", userAgent);
            for (Map.Entry<String, String> h : endpoint.headers().entrySet()) {
                c.setRequestProperty(h.getKey(), h.getValue());
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            byte[] answer = read(status < 400 ? c.getInputStream() : c.getErrorStream());
            if (status >= 200 && status < 300) {
                return new Outcome(status, false, -1, rejected(answer), errorMessage(answer));
            }
            boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
            return new Outcome(status, retryable, retryAfterMillis(c), 0, "HTTP " + status + summary(answer));
        } catch (IOException | RuntimeException e) { // refused, reset, timed out, TLS failed: retryable
            // not disconnect(): a fully read answer leaves the connection to the JDK's keep-alive cache
            return new Outcome(-1, true, -1, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Retry-After: delay-seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfterMillis(HttpURLConnection c) {
        String value = c.getHeaderField("Retry-After");
        if (value == null) {
            return -1;
        }
        long seconds = retryAfterSeconds(value);
        if (seconds >= 0) {
            return seconds * 1000;
        }
        long date = c.getHeaderFieldDate("Retry-After", -1);
        return date < 0 ? -1 : Math.max(0, date - System.currentTimeMillis());
    }

    static long retryAfterSeconds(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 9) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    private static byte[] read(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (InputStream stream = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = stream.read(buffer)) > 0) {
                if (out.size() < MAX_ANSWER_BYTES) {
                    out.write(buffer, 0, Math.min(n, MAX_ANSWER_BYTES - out.size()));
                } // else read on, so the connection can be kept
            }
            return out.toByteArray();
        }
    }

    /** ExportLogsServiceResponse.partialSuccess.rejectedLogRecords (an int64: a string or a number), else 0. */
    long rejected(byte[] answer) {
        String v = partialSuccessField(answer, "rejectedLogRecords");
        try {
            return v == null ? 0 : Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String errorMessage(byte[] answer) {
        String v = partialSuccessField(answer, "errorMessage");
        return v == null ? "" : clip(v);
    }

    private String partialSuccessField(byte[] answer, String field) {
        if (answer.length == 0) {
            return null;
        }
        try (JsonParser p = json.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken t = p.nextToken();
                if ((name.equals("partialSuccess") || name.equals("partial_success")) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.getCurrentName();
                        p.nextToken();
                        if (inner.equals(field)) {
                            return p.getValueAsString();
                        }
                        p.skipChildren();
                    }
                    return null;
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return null; // a 2xx whose body is not JSON (or protobuf): accepted, nothing rejected known
        }
        return null;
    }

    /** The start of an error answer, for the one stderr line (the collector's text, clipped). */
    private static String summary(byte[] answer) {
        return answer.length == 0 ? "" : ": " + clip(new String(answer, StandardCharsets.UTF_8));
    }

    private static String clip(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ').trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
