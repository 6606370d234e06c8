package io.tlsguard.agent.policy;

/** What tlsguard does with a protocol below the floor. */
public enum Mode {
    /** Change nothing; write what happens. */
    REPORT,
    /** Rewrite legacy pins so the floor holds; handshakes below the floor fail. */
    ENFORCE,
    /** Refuse legacy pins the way each API documents failure; handshakes below the floor fail. */
    DENY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
