package io.tlsguard.bench;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * tlsguard's cost in handshakes/s measured inside one JVM, so that the machine's drift cancels: the workload runs
 * without pause while tlsguard's handler is installed and removed in turn, in short windows (ABBA), and each pair of
 * windows gives one ratio (with / without). Removing the handler is what the bootstrap runtime does before tlsguard
 * starts: the woven advice stays and costs a static read, everything else tlsguard does per handshake (reading the
 * connection, counting, queueing, the writer thread's serialising and writing) stops. What this cannot see is the
 * woven code itself; HookPathCpu and the JVM-pair rows of {@link Bench} measure that.
 *
 * <p>Across JVM pairs on a shared 2-core machine the no-op agent's ratios spread 0.87–1.43 (docs/performance.md, Run
 * 8); alternating windows of a few hundred milliseconds in one process is the "in-process alternation" of issue 14.
 * A window starts {@code settle_ms} after the switch, so the writer finishes the previous window's events first.
 * The warm-up is 20 s: C2 compiled for ~14 s (no agent) and ~19 s (agent) on this machine, taking a third of the CPU
 * meanwhile (per-thread CPU from /proc), and windows during it measured the compiler, not tlsguard.
 *
 * <p>Needs {@code -javaagent:tlsguard.jar}. args: workload=resumed|socket threads=N warmup_ms=N pairs=N window_ms=N
 * settle_ms=N handler=on|off (for a profile: the handler stays so in every window; default: alternating)
 */
public final class HandlerOnOff {
    public static void main(String[] args) throws Exception {
        String workload = stringArg(args, "workload", "resumed");
        int threads = (int) Tls.arg(args, "threads", workload.equals("resumed") ? 2 : 1);
        long warmup = Tls.arg(args, "warmup_ms", 20000);
        int pairs = (int) Tls.arg(args, "pairs", 20);
        long window = Tls.arg(args, "window_ms", 400);
        long settle = Tls.arg(args, "settle_ms", 100);
        String fixed = stringArg(args, "handler", null);
        Field handler = handlerField();
        Object installed = handler.get(null);
        if (installed == null) {
            throw new IllegalStateException("tlsguard is not running in this JVM (-javaagent:tlsguard.jar)");
        }
        SSLContext ctx = Tls.context();
        Load load = new Load(ctx, workload, threads);
        long[] counters0 = Tls.writerCounters();
        double[] on = new double[pairs];
        double[] off = new double[pairs];
        double[] ratio = new double[pairs];
        try {
            load.start();
            Thread.sleep(warmup);
            for (int pair = -2; pair < pairs; pair++) { // two pairs more of warm-up: the JIT sees both states
                double with = 0;
                double without = 0;
                for (int k = 0; k < 2; k++) {
                    boolean handlerOn = ((pair & 1) == 0) == (k == 0); // ABBA
                    handler.set(null, (fixed == null ? handlerOn : fixed.equals("on")) ? installed : null);
                    Thread.sleep(settle);
                    long c0 = load.count.get();
                    long t0 = System.nanoTime();
                    Thread.sleep(window);
                    double rate = (load.count.get() - c0) / ((System.nanoTime() - t0) / 1e9);
                    if (handlerOn) {
                        with = rate;
                    } else {
                        without = rate;
                    }
                }
                if (pair >= 0) {
                    on[pair] = with;
                    off[pair] = without;
                    ratio[pair] = with / without;
                }
            }
        } finally {
            handler.set(null, installed);
            load.stop();
        }
        long[] counters1 = Tls.writerCounters();
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        Tls.result(
                "workload",
                workload,
                "threads",
                threads,
                "pairs",
                pairs,
                "hs_s_handler_on",
                Tls.median(on),
                "hs_s_handler_off",
                Tls.median(off),
                "ratio",
                String.format(Locale.ROOT, "%.4f", Tls.median(ratio)),
                "ratio_q1",
                String.format(Locale.ROOT, "%.4f", quartile(sorted, 1)),
                "ratio_q3",
                String.format(Locale.ROOT, "%.4f", quartile(sorted, 3)),
                "events_written",
                counters1[0] - counters0[0],
                "events_dropped",
                counters1[1] - counters0[1]);
    }

    /** The bootstrap runtime's private handler field (by reflection: a benchmark's licence, never the agent's API). */
    static Field handlerField() throws Exception {
        Class<?> hooks = Tls.hooks();
        if (hooks == null) {
            throw new IllegalStateException("tlsguard is not running in this JVM (-javaagent:tlsguard.jar)");
        }
        Field handler = hooks.getDeclaredField("handler");
        handler.setAccessible(true);
        return handler;
    }

    /** Threads making handshakes until stopped, counting them. */
    private static final class Load {
        final AtomicLong count = new AtomicLong();
        private final SSLContext ctx;
        private final String workload;
        private final List<Thread> threads = new ArrayList<>();
        private final HandshakeRate.Server server;
        private volatile boolean running = true;
        private volatile Throwable failure;

        Load(SSLContext ctx, String workload, int n) throws Exception {
            if (!workload.equals("resumed") && !workload.equals("socket")) {
                throw new IllegalArgumentException("workload=resumed|socket, not " + workload);
            }
            this.ctx = ctx;
            this.workload = workload;
            this.server = workload.equals("socket") ? new HandshakeRate.Server(ctx) : null;
            for (int t = 0; t < n; t++) {
                final int id = t;
                threads.add(new Thread(() -> loop(id), "bench-" + workload + "-" + t));
            }
        }

        private void loop(int id) {
            try {
                InetAddress lo = InetAddress.getByName("127.0.0.1");
                while (running) {
                    if (server != null) {
                        HandshakeRate.fullHandshake(ctx, server, lo, "TLSv1.2"); // full: the client invalidates
                    } else {
                        WriterRate.resume(ctx, id);
                    }
                    count.incrementAndGet();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        void start() {
            for (Thread t : threads) {
                t.start();
            }
        }

        void stop() throws Exception {
            running = false;
            for (Thread t : threads) {
                t.join();
            }
            if (server != null) {
                server.close();
            }
            if (failure != null) {
                throw new IllegalStateException(workload + " stopped: " + failure, failure);
            }
        }
    }

    private static String stringArg(String[] args, String name, String def) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return def;
    }

    private static double quartile(double[] sorted, int q) {
        return sorted[Math.min(sorted.length - 1, q * sorted.length / 4)];
    }
}
