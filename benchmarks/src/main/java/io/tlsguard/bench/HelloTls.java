package io.tlsguard.bench;

import javax.net.ssl.SSLContext;

/**
 * The startup workload: a hello world that creates (and initialises) one SSLContext. With {@code work_ms=N} it
 * first works N ms on its main thread (a program's own start before its first TLS use, as any service has).
 */
public final class HelloTls {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("work_ms=")) {
            work(Long.parseLong(args[0].substring("work_ms=".length())));
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        System.out.println("hello " + ctx.getProtocol());
    }

    /** Busy on this thread only (no allocation to speak of, no I/O) for {@code millis} of wall time. */
    private static void work(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        if (x == 42) {
            System.out.println(x); // keeps the loop
        }
    }
}
