package io.tlsguard.compat;

import java.util.List;
import java.util.Set;

/**
 * One row of the matrix: a legacy sample application, run unmodified from its jar
 * (sample-apps/MODULE/target/MODULE.jar).
 *
 * @param id the row's name in docs/compatibility.md
 * @param kind a client connects to {@code peer}; a server is probed from outside with openssl
 * @param module the sample-apps module whose jar runs
 * @param args program arguments; {@link #PORT} stands for the peer's port (servers get 0: any free port)
 * @param jvmFlags extra JVM flags of the row
 * @param peer what a client connects to
 * @param pins what the application pins, as docs/compatibility.md says it
 * @param checks what the row asserts beyond its expectation
 */
public record App(
        String id,
        Kind kind,
        String module,
        List<String> args,
        List<String> jvmFlags,
        Peer peer,
        String pins,
        Set<Check> checks) {
    /** In {@link #args}: the port of the client's peer. */
    public static final String PORT = "{PORT}";

    public enum Kind {
        CLIENT,
        SERVER;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    /** The servers on 127.0.0.1 that clients talk to (they accept TLS 1.0 to 1.3). */
    public enum Peer {
        /** jsse-legacy's TLS server: a tiny HTTP answer */
        HTTP,
        /** compat-peers' SMTP server with STARTTLS */
        SMTP,
        NONE
    }

    /** Assertions of coexistence rows, on top of the cell's expectation. */
    public enum Check {
        /** The OpenTelemetry Java agent runs first (logging exporter): the cell works only if it exported a span. */
        OPENTELEMETRY_AGENT,
        /** Wherever tlsguard ran and the application worked, its report holds a handshake and a pin. */
        COMPLETE_REPORT
    }

    public static App client(String id, String module, Peer peer, String pins, List<String> args) {
        return new App(id, Kind.CLIENT, module, args, List.of(), peer, pins, Set.of());
    }

    public static App server(String id, String module, String pins) {
        return new App(id, Kind.SERVER, module, List.of("0"), List.of(), Peer.NONE, pins, Set.of());
    }

    public App withJvmFlags(String... flags) {
        return new App(id, kind, module, args, List.of(flags), peer, pins, checks);
    }

    public App checking(Check... more) {
        return new App(id, kind, module, args, jvmFlags, peer, pins, Set.of(more));
    }

    public boolean has(Check check) {
        return checks.contains(check);
    }
}
