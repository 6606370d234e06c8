package io.tlsguard.agent.hooks;

/**
 * tlsguard's own threads that make TLS connections (the OTLP exporter's, to an https collector): their
 * handshakes and pins are tlsguard's, not the host's, so every hook leaves them alone. One volatile read
 * and a reference comparison per hook; no thread-local (whose first use on a host thread allocates).
 */
public final class OwnThreads {
    private static volatile Thread exporter;

    private OwnThreads() {}

    /** The thread whose TLS is tlsguard's own from now on (null: none). */
    public static void exempt(Thread thread) {
        exporter = thread;
    }

    /** Whether the calling thread is one of tlsguard's own. */
    static boolean current() {
        Thread own = exporter;
        return own != null && own == Thread.currentThread();
    }
}
