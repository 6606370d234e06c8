package io.tlsguard.agent.policy;

import java.util.Locale;

/** What tlsguard did with a pin below the floor; written in the report as {@link #label()}. */
public enum Action {
    /** Left as it was (mode=report). */
    OBSERVED,
    /** Narrowed so the floor holds (mode=enforce). */
    REWRITTEN,
    /** Refused (mode=deny). */
    DENIED;

    /** As the report writes it: {@code observed}, {@code rewritten}, {@code denied}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
