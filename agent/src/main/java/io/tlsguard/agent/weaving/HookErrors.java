package io.tlsguard.agent.weaving;

import java.util.concurrent.atomic.AtomicLong;

/** Hooks that could not be made: counted for status, printed only with -Dtlsguard.debug=true (a missed hook must not disturb the host). */
final class HookErrors {
    private static final AtomicLong COUNT = new AtomicLong();

    private HookErrors() {}

    static void failed(String what, Throwable e) {
        COUNT.incrementAndGet();
        if (Boolean.getBoolean("tlsguard.debug")) {
            System.err.println("tlsguard: could not hook " + what + ": " + e);
        }
    }

    /** For status: how many classes or hooks failed since the start. */
    static long count() {
        return COUNT.get();
    }
}
