package io.tlsguard.contract;

import java.util.Locale;

/**
 * What the attach CLI asks of the agent in a running JVM. Never a user option: it travels in the
 * {@link AttachRequest} envelope, outside the user's option string.
 */
public enum Command {
    /** Start tlsguard, or reconfigure it when it already runs. */
    ATTACH,
    /** Say how tlsguard is doing, change nothing. */
    STATUS,
    /** Give back the original bytecode and stop. */
    DETACH;

    /** The word in the envelope: {@code attach}, {@code status}, {@code detach}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The command the envelope's word names, or null. */
    static Command fromKey(String key) {
        for (Command c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        return null;
    }
}
