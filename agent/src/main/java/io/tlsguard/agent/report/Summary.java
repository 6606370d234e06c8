package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts for the exit summary and for {@code status}: handshakes by side x peer x protocol x cipher,
 * pins by call site. Bounded whatever the traffic: past {@link #MAX_KEYS} distinct keys, new peers are
 * counted under the peer "(other)" and new call sites under one "(other)" site.
 */
public final class Summary {
    static final int MAX_KEYS = 2000;
    static final String OTHER = "(other)";
    /** The port of the "(other)" peer's keys: no real port is negative but -1 (none). */
    private static final int OTHER_PORT = -2;
    /** tls.protocol.version values counted for status, in this order. */
    static final String[] VERSIONS = {"3", "1", "1.1", "1.2", "1.3"};
    /** How many of {@link #VERSIONS}, from the first, are legacy (below TLS 1.2 whatever the floor). */
    private static final int LEGACY_VERSIONS = 3;

    /**
     * Handshake counts are LongAdders: every handshaking thread adds to the same few counts (one peer, one
     * protocol), and an AtomicLong's cache line then moves between cores on every handshake (issue 14). Read
     * only for status and the summary, which the writer takes after the last counted offer (exact then).
     */
    private final ConcurrentHashMap<HandshakeKey, LongAdder> handshakes = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, PinCount> pins = new ConcurrentHashMap<>();
    /** Completed handshakes: client ones at [i], server ones at [VERSIONS.length + i]. */
    private final LongAdder[] bySideAndVersion = adders(2 * VERSIONS.length);
    /** When the last completed legacy handshake was counted, epoch millis; 0 before the first. */
    private volatile long lastLegacyHandshake;

    private final LongAdder failures = new LongAdder();
    private final AtomicLong pinCalls = new AtomicLong();

    public void handshake(HandshakeEvent e) {
        // the peer's text ("host:port" for a client) is made only when the summary is written: not per handshake
        String host = e.client ? e.serverAddress : e.peerAddress;
        int port = e.client ? e.serverPort : -1;
        String cause = e.failureCause == null ? null : e.failureCause.label();
        String cipher = Json.ianaCipher(e.cipher);
        HandshakeKey key = new HandshakeKey(e.client, host, port, e.protocol, cipher, e.established, cause);
        LongAdder count = handshakes.get(key);
        if (count == null) {
            if (handshakes.size() >= MAX_KEYS) {
                key = new HandshakeKey(e.client, OTHER, OTHER_PORT, e.protocol, cipher, e.established, cause);
            }
            LongAdder fresh = new LongAdder();
            count = handshakes.putIfAbsent(key, fresh);
            count = count == null ? fresh : count;
        }
        count.increment();
        if (!e.established) {
            failures.increment();
            return;
        }
        int i = versionIndex(Json.protocolVersion(e.protocol));
        if (i >= 0) {
            bySideAndVersion[e.client ? i : VERSIONS.length + i].increment();
            if (i < LEGACY_VERSIONS) {
                lastLegacyHandshake = e.timeMillis;
            }
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** Where {@code version} (a {@code tls.protocol.version} value) stands in {@link #VERSIONS}; -1: not counted. */
    private static int versionIndex(String version) {
        for (int i = 0; i < VERSIONS.length; i++) {
            if (VERSIONS[i].equals(version)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Completed handshakes of one side and protocol version, as the JMX MBean shows them.
     *
     * @param version a {@code tls.protocol.version} value: "3", "1", "1.1", "1.2" or "1.3"
     * @return the count, or 0 for a version not counted
     */
    public long handshakes(boolean client, String version) {
        int i = versionIndex(version);
        return i < 0 ? 0 : bySideAndVersion[client ? i : VERSIONS.length + i].sum();
    }

    /** Epoch millis of the last completed handshake below TLS 1.2, or 0 when there was none. */
    public long lastLegacyHandshake() {
        return lastLegacyHandshake;
    }

    /**
     * Distinct peers (server address:port for a client, the client's address for a server) of completed
     * handshakes below TLS 1.2. Computed when asked, from the bounded counts: costs the hooked threads nothing.
     */
    public int distinctLegacyPeers() {
        Set<String> peers = new HashSet<>();
        for (HandshakeKey k : handshakes.keySet()) {
            String version = Json.protocolVersion(k.protocol);
            String peer = k.peer();
            if (k.established && peer != null && isLegacy(version)) {
                peers.add(k.side() + ' ' + peer);
            }
        }
        return peers.size();
    }

    /** Distinct call sites (API and code location) that pinned a protocol below the floor. */
    public int distinctPinSites() {
        return pins.size();
    }

    private static boolean isLegacy(String version) {
        int i = versionIndex(version);
        return i >= 0 && i < LEGACY_VERSIONS;
    }

    /** Counts a pin; returns how many times this site pinned, this one included. */
    public long pin(String api, CallSite site) {
        pinCalls.incrementAndGet();
        String key = site == null ? api : api + ' ' + site.key();
        PinCount count = pins.get(key);
        if (count == null) {
            if (pins.size() >= MAX_KEYS) {
                key = OTHER;
                site = null;
            }
            PinCount fresh = new PinCount(api, site);
            count = pins.putIfAbsent(key, fresh);
            count = count == null ? fresh : count;
        }
        return count.n.incrementAndGet();
    }

    public long pins() {
        return pinCalls.get();
    }

    public long failures() {
        return failures.sum();
    }

    /** The handshakes by protocol version, as the object {@code field} (the status reply names it). */
    public void writeVersions(JsonGenerator json, String field) throws IOException {
        json.writeObjectFieldStart(field);
        for (int i = 0; i < VERSIONS.length; i++) {
            json.writeNumberField(VERSIONS[i], bySideAndVersion[i].sum() + bySideAndVersion[VERSIONS.length + i].sum());
        }
        json.writeEndObject();
    }

    /** {@code "event.name":"tlsguard.summary"}, written last. */
    public Event event(final String mode, final String floor, final long written, final long dropped) {
        return new Event() { // not a lambda: see ReportWriter
            @Override
            public Severity severity() {
                return Severity.INFO;
            }

            @Override
            public void write(JsonGenerator json, Resource resource) throws IOException {
                json.writeStartObject();
                json.writeStringField("event.name", "tlsguard.summary");
                json.writeStringField("timestamp", Json.iso(System.currentTimeMillis()));
                resource.write(json);
                severity().write(json);
                json.writeStringField("tlsguard.mode", mode);
                json.writeStringField("tlsguard.floor", floor);
                json.writeArrayFieldStart("tlsguard.handshakes");
                for (Map.Entry<HandshakeKey, LongAdder> h : handshakes.entrySet()) {
                    HandshakeKey k = h.getKey();
                    json.writeStartObject();
                    json.writeStringField("tlsguard.side", k.side());
                    Json.string(json, "tlsguard.peer", k.peer());
                    Json.string(json, "tls.protocol.version", Json.protocolVersion(k.protocol));
                    Json.string(json, "tls.cipher", k.cipher);
                    json.writeBooleanField("tls.established", k.established);
                    Json.string(json, "tlsguard.failure.cause", k.cause);
                    json.writeNumberField("count", h.getValue().sum());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeArrayFieldStart("tlsguard.pins");
                for (PinCount p : pins.values()) {
                    json.writeStartObject();
                    json.writeStringField("tlsguard.api", p.api);
                    if (p.site != null) {
                        Json.string(json, "code.function.name", p.site.className + "." + p.site.methodName);
                        Json.string(json, "code.file.path", p.site.fileName);
                        Json.number(json, "code.line.number", p.site.line);
                        PinEvent.writeLibrary(json, p.site);
                    }
                    json.writeNumberField("count", p.n.get());
                    json.writeEndObject();
                }
                json.writeEndArray();
                writeLibraries(json);
                json.writeNumberField("tlsguard.events.written", written + 1);
                json.writeNumberField("tlsguard.events.dropped", dropped);
                json.writeEndObject();
            }
        };
    }

    /**
     * {@code tlsguard.libraries}: the pins grouped by the jar they came from, the answer to "what do I
     * upgrade?". Pins without a known jar (system properties, classes without a code source) are left out.
     */
    private void writeLibraries(JsonGenerator json) throws IOException {
        Map<String, LibraryPins> byJar = new LinkedHashMap<>();
        for (PinCount p : pins.values()) {
            if (p.site == null || p.site.library == null) {
                continue;
            }
            LibraryJars.Library library = LibraryJars.SHARED.of(p.site.library, p.site.className);
            String key = library.jar + ' ' + library.coordinates;
            LibraryPins group = byJar.get(key);
            if (group == null) {
                group = new LibraryPins(library);
                byJar.put(key, group);
            }
            group.sites++;
            group.count += p.n.get();
        }
        json.writeArrayFieldStart("tlsguard.libraries");
        for (LibraryPins group : byJar.values()) {
            json.writeStartObject();
            Json.string(json, "tlsguard.library.jar", group.library.jar);
            Json.string(json, "tlsguard.library.coordinates", group.library.coordinates);
            Json.string(json, "tlsguard.library.name", group.library.name);
            Json.string(json, "tlsguard.library.version", group.library.version);
            json.writeNumberField("tlsguard.pin.sites", group.sites);
            json.writeNumberField("count", group.count);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static final class LibraryPins {
        final LibraryJars.Library library;
        long sites;
        long count;

        LibraryPins(LibraryJars.Library library) {
            this.library = library;
        }
    }

    private static final class PinCount {
        final String api;
        final CallSite site;
        final AtomicLong n = new AtomicLong();

        PinCount(String api, CallSite site) {
            this.api = api;
            this.site = site;
        }
    }

    private static final class HandshakeKey {
        final boolean client;
        /** The server's address (client side) or the client's (server side), as the event has it. */
        final String host;
        /** The server's port on the client side, {@link #OTHER_PORT} for "(other)"; -1 otherwise. */
        final int port;

        final String protocol;
        final String cipher;
        final boolean established;
        /** Failed handshakes: their cause's label, so the summary says why they failed. */
        final String cause;

        private final int hash;

        HandshakeKey(
                boolean client,
                String host,
                int port,
                String protocol,
                String cipher,
                boolean established,
                String cause) {
            this.client = client;
            this.host = host;
            this.port = port;
            this.protocol = protocol;
            this.cipher = cipher;
            this.established = established;
            this.cause = cause;
            // by hand: Objects.hash would allocate its varargs array on every handshake
            int h = client ? 1 : 2;
            h = 31 * h + (host == null ? 0 : host.hashCode());
            h = 31 * h + port;
            h = 31 * h + (protocol == null ? 0 : protocol.hashCode());
            h = 31 * h + (cipher == null ? 0 : cipher.hashCode());
            h = 31 * h + (established ? 1 : 0);
            this.hash = 31 * h + (cause == null ? 0 : cause.hashCode());
        }

        String side() {
            return client ? "client" : "server";
        }

        /** tlsguard.peer: "host:port" of the server for a client, the client's address for a server. */
        String peer() {
            if (port == OTHER_PORT) {
                return OTHER;
            }
            return client ? host + (port >= 0 ? ":" + port : "") : host;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof HandshakeKey)) {
                return false;
            }
            HandshakeKey k = (HandshakeKey) o;
            return hash == k.hash
                    && client == k.client
                    && port == k.port
                    && established == k.established
                    && java.util.Objects.equals(host, k.host)
                    && java.util.Objects.equals(protocol, k.protocol)
                    && java.util.Objects.equals(cipher, k.cipher)
                    && java.util.Objects.equals(cause, k.cause);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
