package io.tlsguard.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The inventory as one JSON document; its shape is docs/inventory.schema.json. */
final class JsonFormat {
    static final int FORMAT_VERSION = 1;

    private JsonFormat() {}

    static void write(Fleet fleet, Writer out) throws IOException {
        try (JsonGenerator g = new JsonFactory()
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("inventory.format", FORMAT_VERSION);
            g.writeStringField("floor", fleet.floor);
            g.writeNumberField("files.read", fleet.filesRead);
            g.writeNumberField("files.unreadable", fleet.filesUnreadable);
            g.writeNumberField("files.over_limit", fleet.filesOverLimit);
            g.writeArrayFieldStart("files.errors");
            for (Fleet.Unreadable u : fleet.unreadable) {
                g.writeStartObject();
                g.writeStringField("path", u.path);
                g.writeStringField("reason", u.reason);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("lines.read", fleet.linesRead);
            g.writeNumberField("lines.used", fleet.linesUsed);
            g.writeNumberField("lines.skipped", fleet.linesSkipped());
            g.writeObjectFieldStart("lines.skipped.by_reason");
            for (Fleet.Skip s : Fleet.Skip.values()) {
                g.writeNumberField(s.key, fleet.skipped.getOrDefault(s, 0L));
            }
            g.writeEndObject();
            g.writeNumberField("services.ready", count(fleet, true));
            g.writeNumberField("services.not_ready", count(fleet, false));
            g.writeNumberField("services.dropped", fleet.services.dropped);
            g.writeArrayFieldStart("services");
            for (ServiceInventory s : fleet.services.map.values()) {
                service(g, s, fleet.floor);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("peers");
            for (Map.Entry<String, Tally> e : fleet.peers.map.entrySet()) {
                int space = e.getKey().indexOf(' ');
                g.writeStartObject();
                g.writeStringField("role", e.getKey().substring(0, space));
                g.writeStringField("peer", e.getKey().substring(space + 1));
                tally(g, e.getValue(), true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("call_sites");
            for (Map.Entry<String, Tally> e : fleet.callSites.map.entrySet()) {
                g.writeStartObject();
                g.writeStringField("call_site", e.getKey());
                tally(g, e.getValue(), true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("days");
            for (Map.Entry<String, Map<String, Long>> e : fleet.days.map.entrySet()) {
                g.writeStartObject();
                g.writeStringField("day", e.getKey());
                counts(g, "established", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    static long count(Fleet fleet, boolean ready) {
        return fleet.services.map.values().stream()
                .filter(s -> s.ready() == ready)
                .count();
    }

    private static void service(JsonGenerator g, ServiceInventory s, String floor) throws IOException {
        g.writeStartObject();
        g.writeStringField("service.name", s.name);
        g.writeBooleanField("ready", s.ready());
        strings(g, "reasons", s.reasons(floor));
        optional(g, "first_seen", s.seen.first);
        optional(g, "last_seen", s.seen.last);
        g.writeNumberField("lines", s.seen.count);
        g.writeArrayFieldStart("instances");
        for (ServiceInventory.Instance i : s.instances.map.values()) {
            g.writeStartObject();
            optional(g, "host.name", i.host);
            if (i.pid >= 0) {
                g.writeNumberField("process.pid", i.pid);
            }
            optional(g, "process.runtime", i.runtime);
            optional(g, "first_seen", i.seen.first);
            optional(g, "last_seen", i.seen.last);
            g.writeEndObject();
        }
        g.writeEndArray();
        counts(g, "handshakes.established", s.established);
        g.writeNumberField("handshakes.failed", s.failed);
        peers(g, "legacy_as_client", "server", s.legacyPeers);
        peers(g, "legacy_as_server", "client", s.legacyClients);
        g.writeArrayFieldStart("pins");
        for (ServiceInventory.Pin p : s.pins.map.values()) {
            g.writeStartObject();
            g.writeBooleanField("blocking", p.blocking);
            optional(g, "tlsguard.api", p.api);
            strings(g, "tlsguard.protocols.requested", p.requested);
            strings(g, "tlsguard.action", p.actions);
            site(g, "", p.site);
            tally(g, p.seen, false);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("failures");
        for (ServiceInventory.Failure f : s.failures.map.values()) {
            g.writeStartObject();
            g.writeBooleanField("blocking", f.blocking);
            optional(g, "tlsguard.failure.cause", f.cause);
            optional(g, "tlsguard.side", f.side);
            optional(g, "peer", f.peer);
            optional(g, "error.type", f.errorType);
            optional(g, "exception.message", f.message);
            optional(g, "tlsguard.alert", f.alert);
            strings(g, "tlsguard.protocols.enabled", f.enabled);
            optional(g, "tlsguard.failure.pin.api", f.pinApi);
            strings(g, "tlsguard.failure.pin.protocols", f.pinProtocols);
            site(g, "tlsguard.failure.pin.", f.pin);
            tally(g, f.seen, false);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField(
                "findings.dropped",
                s.legacyPeers.dropped
                        + s.legacyClients.dropped
                        + s.pins.dropped
                        + s.failures.dropped
                        + s.instances.dropped);
        g.writeEndObject();
    }

    private static void peers(JsonGenerator g, String field, String role, Bounded<Tally> peers) throws IOException {
        g.writeArrayFieldStart(field);
        for (Map.Entry<String, Tally> e : peers.map.entrySet()) {
            g.writeStartObject();
            g.writeStringField(role, e.getKey());
            tally(g, e.getValue(), false);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void site(JsonGenerator g, String prefix, ReportLine.Site s) throws IOException {
        optional(g, prefix + "code.function.name", s.function);
        optional(g, prefix + "code.file.path", s.file);
        if (s.line >= 0) {
            g.writeNumberField(prefix + "code.line.number", s.line);
        }
        optional(g, prefix + (prefix.isEmpty() ? "tlsguard." : "") + "library.coordinates", s.coordinates);
        optional(g, prefix + (prefix.isEmpty() ? "tlsguard." : "") + "library.jar", s.jar);
    }

    private static void tally(JsonGenerator g, Tally t, boolean services) throws IOException {
        g.writeNumberField("count", t.count);
        optional(g, "first_seen", t.first);
        optional(g, "last_seen", t.last);
        if (!t.protocols.isEmpty()) {
            strings(g, "protocols", t.protocols);
        }
        if (services) {
            strings(g, "services", t.services);
        }
    }

    private static void counts(JsonGenerator g, String field, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, Collection<String> values) throws IOException {
        if (values == null) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    static List<ServiceInventory> notReadyFirst(Fleet fleet) {
        List<ServiceInventory> all = new java.util.ArrayList<>(fleet.services.map.values());
        all.sort(java.util.Comparator.comparing(ServiceInventory::ready).thenComparing(s -> s.name));
        return all;
    }
}
