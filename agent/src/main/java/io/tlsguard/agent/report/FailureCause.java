package io.tlsguard.agent.report;

/**
 * Why a handshake failed, as far as tlsguard can tell ({@code tlsguard.failure.cause}). Computed only when
 * a handshake fails, never on a handshake that completes.
 */
public enum FailureCause {
    /** A pin asked only for protocols the JVM's {@code jdk.tls.disabledAlgorithms} disables. */
    PIN_BELOW_JVM_FLOOR("pin_below_jvm_floor"),
    /** No pin of tlsguard's knowledge: a JVM setting disabled the protocols the connection would use. */
    JVM_DISABLED_PROTOCOL("jvm_disabled_protocol"),
    /** Enforce/deny removed protocols below tlsguard's floor and nothing was left in common with the peer. */
    TLSGUARD_FLOOR("tlsguard_floor"),
    /** The peer refused: it sent a fatal alert ({@code tlsguard.alert} names it). */
    PEER_ALERT("peer_alert"),
    /** The two sides had no protocol in common, and no JVM setting or tlsguard floor is to blame. */
    PROTOCOL_MISMATCH("protocol_mismatch"),
    /** The program closed the connection before the handshake finished, without a fatal alert of its own. */
    ABANDONED("abandoned"),
    /** Anything else (certificates, cipher suites, I/O): {@code exception.message} says it. */
    OTHER("other");

    private final String label;

    FailureCause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
