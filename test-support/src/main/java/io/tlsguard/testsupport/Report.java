package io.tlsguard.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A tlsguard JSON-lines report, parsed strictly: a line that is not valid JSON, or not as docs/report.schema.json says, fails the test. */
public final class Report {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final List<JsonNode> events;
    private final Path path;

    private Report(Path path, List<JsonNode> events) {
        this.path = path;
        this.events = events;
    }

    public static Report read(Path path) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            JsonNode event;
            try {
                event = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("invalid JSON line in " + path + ": " + line, e);
            }
            ReportSchema.check(event); // every report any test reads is checked against the documented schema
            events.add(event);
        }
        return new Report(path, events);
    }

    public List<JsonNode> all() {
        return events;
    }

    public List<JsonNode> named(String eventName) {
        return where(e -> eventName.equals(text(e, "event.name")));
    }

    public List<JsonNode> where(Predicate<JsonNode> filter) {
        return events.stream().filter(filter).toList();
    }

    /** Handshake events of one side on the threads of one sample scenario ("scenario-NAME"). */
    public List<JsonNode> handshakes(String scenarioThread, String side) {
        return where(e -> "tls.handshake".equals(text(e, "event.name"))
                && side.equals(text(e, "tlsguard.side"))
                && scenarioThread.equals(text(e, "thread.name")));
    }

    public List<JsonNode> pins(String scenarioThread) {
        return where(e ->
                "tlsguard.protocol_pin".equals(text(e, "event.name")) && scenarioThread.equals(text(e, "thread.name")));
    }

    public JsonNode summary() {
        List<JsonNode> s = named("tlsguard.summary");
        if (s.size() != 1) {
            throw new AssertionError("expected one summary in " + path + ", found " + s.size());
        }
        return s.get(0);
    }

    public static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(path.toString()).append(":\n");
        events.forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }
}
