package io.tlsguard.contract;

import java.util.Locale;

/** The user's {@code mode=}: what tlsguard does with a protocol below the floor. */
public enum Mode {
    /** Change nothing; write what happens. */
    REPORT,
    /** Rewrite legacy pins so the floor holds; handshakes below the floor fail. */
    ENFORCE,
    /** Refuse legacy pins the way each API documents failure; handshakes below the floor fail. */
    DENY;

    /** Computed once: every handshake event carries it (issue 14). */
    private final String label = name().toLowerCase(Locale.ROOT);

    /** The value as written in options and replies: {@code report}, {@code enforce}, {@code deny}. */
    public String label() {
        return label;
    }

    /** The mode a value names, in any case, or null. */
    public static Mode fromLabel(String value) {
        for (Mode m : values()) {
            if (m.label().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        return null;
    }
}
