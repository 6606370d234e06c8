package io.tlsguard.testsupport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OTLP/HTTP logs receiver on 127.0.0.1 that is strict: each POST to {@code /v1/logs} must be
 * {@code application/json} and parse with protobuf's JSON parser (unknown fields refused) into the official
 * {@link ExportLogsServiceRequest}; anything else is recorded in {@link #problems()} and answered 400. Its
 * answers can be scripted ({@link #thenAnswer}): a status, a {@code Retry-After}, a delay before answering
 * (a slow collector); once the script is used up, 200 with an empty response.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** One scripted answer. */
    public record Answer(int status, String retryAfter, long delayMillis) {
        public static Answer ok() {
            return new Answer(200, null, 0);
        }
    }

    /** One request as received: its headers (lower-case names) and what it parsed into. */
    public record Request(Map<String, List<String>> headers, ExportLogsServiceRequest body, long receivedNanos) {
        public Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                    return Optional.of(h.getValue().get(0));
                }
            }
            return Optional.empty();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "otlp-receiver");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private OtlpReceiver() throws IOException {
        warmUp();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /**
     * Parses one small request before listening: the first parse in a JVM loads protobuf and the OTLP
     * descriptors, seconds on a loaded machine, which a client would see as a slow collector.
     */
    private static void warmUp() throws IOException {
        JsonFormat.parser()
                .merge(
                        "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"1\"}}]},"
                                + "\"scopeLogs\":[{\"scope\":{\"name\":\"s\"},\"logRecords\":[{\"timeUnixNano\":\"1\","
                                + "\"eventName\":\"e\",\"attributes\":[{\"key\":\"a\",\"value\":{\"arrayValue\":{}}}]}]}]}]}",
                        ExportLogsServiceRequest.newBuilder());
    }

    public static OtlpReceiver start() throws IOException {
        return new OtlpReceiver();
    }

    /** The base URL, as the {@code otlp=} option takes it: {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests get these answers, in order (then 200). */
    public OtlpReceiver thenAnswer(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Every request that parsed, whatever it was answered. */
    public List<Request> requests() {
        return requests;
    }

    /** What was wrong with requests: a path, a method, a content type, a body the parser refused. */
    public List<String> problems() {
        return problems;
    }

    /** The log records of the requests answered 2xx, in arrival order. */
    public List<LogRecord> records() {
        List<LogRecord> all = new ArrayList<>();
        for (Request r : accepted) {
            for (ResourceLogs rl : r.body().getResourceLogsList()) {
                for (ScopeLogs sl : rl.getScopeLogsList()) {
                    all.addAll(sl.getLogRecordsList());
                }
            }
        }
        return all;
    }

    /** The accepted records named {@code eventName}. */
    public List<LogRecord> records(String eventName) {
        return records().stream()
                .filter(r -> r.getEventName().equals(eventName))
                .toList();
    }

    /** Waits until an accepted record is named {@code eventName}; false on timeout. */
    public boolean await(String eventName, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!records(eventName).isEmpty()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** An attribute's value, as a string whatever its type ("" when absent). */
    public static String attribute(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return text(kv.getValue());
            }
        }
        return "";
    }

    public static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString();
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!exchange.getRequestMethod().equals("POST")
                    || !exchange.getRequestURI().getPath().equals("/v1/logs")
                    || !"application/json".equals(contentType)) {
                problems.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + contentType);
                answer(exchange, 404, "{}");
                return;
            }
            ExportLogsServiceRequest.Builder parsed = ExportLogsServiceRequest.newBuilder();
            try {
                JsonFormat.parser()
                        .merge(new String(body, StandardCharsets.UTF_8), parsed); // strict: no unknown fields
            } catch (InvalidProtocolBufferException e) {
                problems.add(e.getMessage() + " in " + new String(body, StandardCharsets.UTF_8));
                answer(exchange, 400, "{}");
                return;
            }
            Request request = new Request(Map.copyOf(exchange.getRequestHeaders()), parsed.build(), System.nanoTime());
            requests.add(request);
            Answer a = script.poll();
            if (a == null) {
                a = Answer.ok();
            }
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
            }
            if (a.status() / 100 == 2 && a.delayMillis() == 0) {
                accepted.add(request); // a slow answer reaches nobody: the exporter timed out and sends again
            }
            answer(exchange, a.status(), "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
