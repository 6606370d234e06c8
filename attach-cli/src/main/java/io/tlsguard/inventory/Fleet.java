package io.tlsguard.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every service of the reports read, the fleet-wide tables (legacy peers, call sites, protocols by day) and what
 * was not read: lines skipped by reason, files that could not be read. Lines are counted as they stream by; only
 * distinct services, peers, call sites and days are kept, each {@link Bounded}. Not thread-safe: readers on
 * several threads hand it their lines under its lock ({@link ReportReader}).
 */
final class Fleet {
    static final int MAX_SERVICES = 10_000;
    static final int MAX_ROWS = 100_000;
    static final int MAX_DAYS = 3_660;
    static final int MAX_ERRORS_KEPT = 100;

    enum Skip {
        INVALID_JSON("invalid_json", "not JSON, or cut short (e.g. a crash's last line)"),
        NOT_TLSGUARD("not_tlsguard", "not a tlsguard event"),
        NO_SERVICE_NAME("no_service_name", "from a tlsguard without service.name (older than 0.2)"),
        TOO_LONG("too_long", "longer than " + ReportReader.MAX_LINE + " bytes");

        final String key;
        final String meaning;

        Skip(String key, String meaning) {
            this.key = key;
            this.meaning = meaning;
        }
    }

    /** Files that could not be read, with why. */
    static final class Unreadable {
        final String path;
        final String reason;

        Unreadable(String path, String reason) {
            this.path = path;
            this.reason = reason;
        }
    }

    final String floor;
    final Bounded<ServiceInventory> services = new Bounded<>(MAX_SERVICES);
    /** Legacy handshakes and failures blamed on a peer, by "client|server" + peer. */
    final Bounded<Tally> peers = new Bounded<>(MAX_ROWS);
    /** Pins (and the pins behind failed handshakes) by call site. */
    final Bounded<Tally> callSites = new Bounded<>(MAX_ROWS);
    /** Established handshakes by UTC day and protocol. */
    final Bounded<Map<String, Long>> days = new Bounded<>(MAX_DAYS);

    long linesRead;
    long linesUsed;
    final Map<Skip, Long> skipped = new EnumMap<>(Skip.class);
    long filesRead;
    long filesUnreadable;
    long filesOverLimit;
    final List<Unreadable> unreadable = new ArrayList<>();

    Fleet(String floor) {
        this.floor = floor;
    }

    long linesSkipped() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    void fileRead() {
        filesRead++;
    }

    void unreadable(Path file, String reason) {
        filesUnreadable++;
        if (unreadable.size() < MAX_ERRORS_KEPT) {
            unreadable.add(new Unreadable(file.toString(), reason));
        }
    }

    void overLimit(Path file) {
        filesOverLimit++;
    }

    void skipped(Skip why, long lines) {
        if (lines > 0) {
            linesRead += lines;
            skipped.merge(why, lines, Long::sum);
        }
    }

    void accept(ReportLine l) {
        linesRead++;
        linesUsed++;
        ServiceInventory s = services.get(l.service, ServiceInventory::new);
        if (s == null) {
            return; // counted in services.dropped
        }
        s.seen.seen(l.timestamp);
        ServiceInventory.Instance i = s.instances.get(instanceKey(l), k -> instance(l));
        if (i != null) {
            i.seen.seen(l.timestamp);
        }
        if (l.event.equals(ReportLine.HANDSHAKE)) {
            handshake(s, l);
        } else if (l.event.equals(ReportLine.PIN)) {
            pin(s, l);
        }
    }

    private static String instanceKey(ReportLine l) {
        return (l.host == null ? "?" : l.host) + "\u0000" + l.pid;
    }

    private static ServiceInventory.Instance instance(ReportLine l) {
        ServiceInventory.Instance i = new ServiceInventory.Instance();
        i.host = l.host;
        i.pid = l.pid;
        i.runtime = l.runtimeName == null && l.runtimeVersion == null
                ? null
                : (l.runtimeName == null ? "" : l.runtimeName + " ")
                        + (l.runtimeVersion == null ? "" : l.runtimeVersion);
        return i;
    }

    private void handshake(ServiceInventory s, ReportLine l) {
        if (!l.established) {
            failure(s, l);
            return;
        }
        String version = l.negotiated();
        if (version == null) {
            return;
        }
        s.established.merge(version, 1L, Long::sum);
        if (l.timestamp != null && l.timestamp.length() >= 10) {
            Map<String, Long> day = days.get(l.timestamp.substring(0, 10), k -> new TreeMap<>());
            if (day != null) {
                day.merge(version, 1L, Long::sum);
            }
        }
        if (!Protocol.below(version, floor)) {
            return;
        }
        boolean client = "client".equals(l.side);
        String peer = client ? l.serverPeer() : (l.clientAddress == null ? "?" : l.clientAddress);
        if (client) {
            s.legacyAsClient++;
        } else {
            s.legacyAsServer++;
        }
        Tally t = (client ? s.legacyPeers : s.legacyClients).get(peer, k -> new Tally());
        if (t != null) {
            t.seen(l.timestamp);
            t.protocol(version);
        }
        peer(l, client, peer, version, s.name);
    }

    private void peer(ReportLine l, boolean client, String peer, String version, String service) {
        Tally t = peers.get((client ? "server " : "client ") + peer, k -> new Tally());
        if (t != null) {
            t.seen(l.timestamp);
            t.protocol(version);
            t.service(service);
        }
    }

    /**
     * A failed handshake blocks readiness when its cause is a pin the JVM refuses (pin_below_jvm_floor), when
     * tlsguard's floor shut out a legacy-only peer (tlsguard_floor, with a floor not above ours), or when the
     * protocols it offered, or those of the pin behind it, were all below the floor.
     */
    boolean blocks(ReportLine l) {
        String cause = l.failureCause;
        return "pin_below_jvm_floor".equals(cause)
                || ("tlsguard_floor".equals(cause) && (l.agentFloor == null || !Protocol.below(floor, l.agentFloor)))
                || Protocol.allBelow(l.enabled, floor)
                || Protocol.allBelow(l.failurePinProtocols, floor);
    }

    private void failure(ServiceInventory s, ReportLine l) {
        s.failed++;
        boolean blocking = blocks(l);
        if (blocking) {
            s.blockingFailures++;
        }
        boolean client = "client".equals(l.side);
        String peer = client ? l.serverPeer() : (l.clientAddress == null ? "?" : l.clientAddress);
        String key = l.failureCause + "|" + l.side + "|" + peer + "|" + siteKey(l.failurePin);
        ServiceInventory.Failure f = s.failures.get(key, k -> {
            ServiceInventory.Failure n = new ServiceInventory.Failure();
            n.cause = l.failureCause;
            n.side = l.side;
            n.peer = peer;
            n.errorType = l.errorType;
            n.message = l.exceptionMessage;
            n.alert = l.alert;
            n.enabled = l.enabled;
            n.pinProtocols = l.failurePinProtocols;
            n.pinApi = l.failurePinApi;
            copy(l.failurePin, n.pin);
            n.blocking = blocking;
            return n;
        });
        if (f != null) {
            f.seen.seen(l.timestamp);
        }
        if (blocking) {
            peer(l, client, peer, "failed", s.name);
            if (l.failurePin.known()) {
                site(l.failurePin, l.failurePinApi, l.failurePinProtocols, l, s.name);
            }
        }
    }

    private void pin(ServiceInventory s, ReportLine l) {
        boolean blocking = Protocol.allBelow(l.requested, floor);
        if (blocking) {
            s.blockingPins++;
        }
        String key = siteKey(l.site) + "|" + l.api + "|" + l.requested;
        ServiceInventory.Pin p = s.pins.get(key, k -> {
            ServiceInventory.Pin n = new ServiceInventory.Pin();
            n.api = l.api;
            n.requested = l.requested;
            copy(l.site, n.site);
            n.blocking = blocking;
            return n;
        });
        if (p != null) {
            p.seen.seen(l.timestamp);
            if (l.action != null) {
                p.actions.add(l.action);
            }
        }
        if (Protocol.anyBelow(l.requested, floor)) {
            site(l.site, l.api, l.requested, l, s.name);
        }
    }

    private void site(ReportLine.Site site, String api, List<String> protocols, ReportLine l, String service) {
        Tally t = callSites.get(siteLabel(site, api), k -> new Tally());
        if (t != null) {
            t.seen(l.timestamp);
            if (protocols != null) {
                protocols.forEach(t::protocol);
            }
            t.service(service);
        }
    }

    static String siteKey(ReportLine.Site s) {
        return s.function + "|" + s.file + "|" + s.line;
    }

    /** "com.example.Mailer.send (Mailer.java:82) in com.sun.mail:javax.mail:1.6.2", or the API when no site. */
    static String siteLabel(ReportLine.Site s, String api) {
        if (!s.known()) {
            return api == null ? "?" : api;
        }
        StringBuilder b = new StringBuilder(s.function);
        if (s.file != null) {
            b.append(" (").append(s.file);
            if (s.line >= 0) {
                b.append(':').append(s.line);
            }
            b.append(')');
        }
        String lib = s.coordinates != null ? s.coordinates : s.jar;
        if (lib != null) {
            b.append(" in ").append(lib);
        }
        return b.toString();
    }

    private static void copy(ReportLine.Site from, ReportLine.Site to) {
        to.function = from.function;
        to.file = from.file;
        to.line = from.line;
        to.jar = from.jar;
        to.coordinates = from.coordinates;
    }
}
