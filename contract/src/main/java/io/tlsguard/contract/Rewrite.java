package io.tlsguard.contract;

import java.util.Locale;

/**
 * What enforce makes of a pin that named only protocols below the floor (the user's option
 * {@code rewrite=}). A pin with some protocol at or above the floor only loses what is below it, either way.
 */
public enum Rewrite {
    /**
     * The floor itself: {@code {"TLSv1"}} becomes {@code {"TLSv1.2"}}. The default: the smallest change to a
     * legacy library, which was written and tested before TLS 1.3 existed. Raising such a library to TLS 1.3
     * changes more than the version (no renegotiation, post-handshake messages, close_notify handling): an
     * NIO HTTP client from 2018 rewritten to TLS 1.3 hung on a response the server ended by closing; at
     * TLS 1.2 the same client works.
     */
    FLOOR,
    /** The floor and every supported version above it (TLS 1.3 where the JVM has it): the newest protocol wins. */
    FLOOR_AND_ABOVE;

    /** As the option and the report write it: {@code floor}, {@code floor-and-above}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value of {@code rewrite=}, case-insensitive; null for anything else. */
    public static Rewrite fromLabel(String label) {
        for (Rewrite r : values()) {
            if (r.label().equalsIgnoreCase(label)) {
                return r;
            }
        }
        return null;
    }
}
