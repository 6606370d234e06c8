package io.tlsguard.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one service (every line with the same {@code service.name}, from any host, pid or restart) did, and whether
 * it is ready for the floor. The readiness rule (docs/fleet.md) is {@link #ready()}: no established handshake below
 * the floor, no pin that leaves nothing at or above it, no handshake that failed for such a pin or a legacy-only
 * peer.
 */
final class ServiceInventory {
    static final int MAX_FINDINGS = 10_000;
    static final int MAX_INSTANCES = 10_000;

    final String name;
    final Tally seen = new Tally();
    final Bounded<Instance> instances = new Bounded<>(MAX_INSTANCES);
    /** Established handshakes by negotiated protocol (JSSE name). */
    final Map<String, Long> established = new TreeMap<>();

    long failed;
    long legacyAsClient;
    long legacyAsServer;
    long blockingPins;
    long blockingFailures;

    /** Legacy handshakes as client, by server.address:server.port. */
    final Bounded<Tally> legacyPeers = new Bounded<>(MAX_FINDINGS);
    /** Legacy handshakes as server, by client.address. */
    final Bounded<Tally> legacyClients = new Bounded<>(MAX_FINDINGS);

    final Bounded<Pin> pins = new Bounded<>(MAX_FINDINGS);
    final Bounded<Failure> failures = new Bounded<>(MAX_FINDINGS);

    ServiceInventory(String name) {
        this.name = name;
    }

    boolean ready() {
        return legacyAsClient == 0 && legacyAsServer == 0 && blockingPins == 0 && blockingFailures == 0;
    }

    /** Why not ready, one sentence a reason; empty when ready. */
    List<String> reasons(String floor) {
        List<String> r = new ArrayList<>();
        if (legacyAsClient > 0) {
            r.add(legacyAsClient + " handshake(s) below " + floor + " as client, to " + size(legacyPeers) + " peer(s)");
        }
        if (legacyAsServer > 0) {
            r.add(legacyAsServer + " handshake(s) below " + floor + " as server, from " + size(legacyClients)
                    + " client(s)");
        }
        if (blockingPins > 0) {
            long sites = pins.map.values().stream().filter(p -> p.blocking).count();
            r.add(blockingPins + " pin(s) to protocols below " + floor + " only, at " + sites + " call site(s)");
        }
        if (blockingFailures > 0) {
            r.add(blockingFailures + " failed handshake(s) for a legacy pin or a legacy-only peer");
        }
        return r;
    }

    private static long size(Bounded<?> b) {
        return b.map.size() + b.dropped;
    }

    /** One JVM run: a host and a pid (a restart is another instance). */
    static final class Instance {
        String host;
        long pid;
        String runtime;
        final Tally seen = new Tally();
    }

    /** A pin call site: the API, the protocols asked for, what tlsguard did, where. */
    static final class Pin {
        String api;
        List<String> requested;
        final java.util.Set<String> actions = new java.util.TreeSet<>();
        final ReportLine.Site site = new ReportLine.Site();
        /** Every protocol it asked for is below the floor. */
        boolean blocking;

        final Tally seen = new Tally();
    }

    /** Failed handshakes of one cause, side, peer and pin. */
    static final class Failure {
        String cause;
        String side;
        String peer;
        String errorType;
        String message;
        String alert;
        List<String> enabled;
        List<String> pinProtocols;
        String pinApi;
        final ReportLine.Site pin = new ReportLine.Site();
        boolean blocking;
        final Tally seen = new Tally();
    }
}
