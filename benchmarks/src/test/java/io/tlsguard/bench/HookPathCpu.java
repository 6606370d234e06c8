package io.tlsguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;

/**
 * The hook path in CPU time, not wall time: on a shared 2-core machine a thread's wall time per operation moves
 * with everyone else's load, its own CPU time much less. Per round: CPU ns and bytes allocated per
 * {@code handshakeFinished} call on this thread (client and server side alternately; paced so that on a quiet
 * machine the report queue never fills and every event is queued, as in real traffic; a starved writer drops some), the report writer thread's CPU ns per event it
 * wrote, and CPU ns and bytes per whole resumed TLS 1.2 handshake (both sides). Prints medians over the rounds, one
 * RESULT line; run it once with and once without {@code -javaagent:tlsguard.jar} (scripts/bench-hookpath does).
 *
 * <p>args: rounds=N calls=N handshakes=N
 */
public final class HookPathCpu {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Throwable {
        int rounds = (int) Tls.arg(args, "rounds", 15);
        int calls = (int) Tls.arg(args, "calls", 20_000);
        int handshakes = (int) Tls.arg(args, "handshakes", 300);
        FinishedHandshake finished = new FinishedHandshake();
        long me = Thread.currentThread().getId();
        double[] hookNs = new double[rounds];
        double[] hookBytes = new double[rounds];
        double[] writerNs = new double[rounds];
        double[] handshakeNs = new double[rounds];
        double[] handshakeBytes = new double[rounds];
        for (int round = -3; round < rounds; round++) { // three rounds of warm-up
            long writer0 = writerCpu();
            long written0 = Tls.writerCounters()[0];
            long cpu = 0;
            long bytes = THREADS.getThreadAllocatedBytes(me);
            for (int i = 0; i < calls; i += 2000) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < 1000 && finished.hook != null; k++) {
                    finished.hook.invokeExact(finished.clientContext);
                    finished.hook.invokeExact(finished.serverContext);
                }
                cpu += THREADS.getCurrentThreadCpuTime() - t0;
                Thread.sleep(25); // the writer drains (it wakes every 20 ms): the queue (8,192) never fills
            }
            long allocated = THREADS.getThreadAllocatedBytes(me) - bytes;
            Thread.sleep(50);
            long written = Tls.writerCounters()[0] - written0;
            long writer = writerCpu() - writer0;
            long h0 = THREADS.getCurrentThreadCpuTime();
            long hb = THREADS.getThreadAllocatedBytes(me);
            for (int i = 0; i < handshakes; i++) {
                FinishedHandshake.resume(finished.context);
            }
            long hCpu = THREADS.getCurrentThreadCpuTime() - h0;
            long hBytes = THREADS.getThreadAllocatedBytes(me) - hb;
            if (round >= 0) {
                hookNs[round] = (double) cpu / calls;
                hookBytes[round] = (double) allocated / calls;
                writerNs[round] = written > 0 ? (double) writer / written : 0;
                handshakeNs[round] = (double) hCpu / handshakes;
                handshakeBytes[round] = (double) hBytes / handshakes;
            }
        }
        long[] counters = Tls.writerCounters();
        double[] onOff = finished.hook == null ? null : handlerOnOff(finished, rounds, handshakes);
        Tls.result(
                "resumed_cpu_ns_handler_on",
                onOff == null ? "-" : String.format(java.util.Locale.ROOT, "%.0f", onOff[0]),
                "resumed_cpu_ns_handler_off",
                onOff == null ? "-" : String.format(java.util.Locale.ROOT, "%.0f", onOff[1]),
                "resumed_on_off_ratio",
                onOff == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", onOff[2]),
                "resumed_on_off_ratio_iqr",
                onOff == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f..%.4f", onOff[3], onOff[4]));
        Tls.result(
                "agent",
                finished.hook != null,
                "hook_cpu_ns",
                Tls.median(hookNs),
                "hook_cpu_ns_iqr",
                iqr(hookNs),
                "hook_alloc_bytes",
                Tls.median(hookBytes),
                "writer_cpu_ns_per_event",
                Tls.median(writerNs),
                "resumed_cpu_ns",
                Tls.median(handshakeNs),
                "resumed_cpu_ns_iqr",
                iqr(handshakeNs),
                "resumed_alloc_bytes",
                Tls.median(handshakeBytes),
                "dropped",
                counters[1]);
    }

    /**
     * In-process alternation: the same JVM, the same JIT state, resumed handshakes in batches with tlsguard's handler
     * installed and removed in turn (the bootstrap runtime's private field, set by reflection: the woven advice
     * stays, and costs a static read with no handler). Returns the medians of CPU ns per handshake with and
     * without the handler, the median of the per-round ratios (with / without) and its interquartile range.
     */
    private static double[] handlerOnOff(FinishedHandshake finished, int rounds, int handshakes) throws Exception {
        java.lang.reflect.Field handler = HandlerOnOff.handlerField();
        Object installed = handler.get(null);
        double[] on = new double[rounds];
        double[] off = new double[rounds];
        double[] ratio = new double[rounds];
        try {
            for (int round = -2; round < rounds; round++) {
                double a = 0;
                double b = 0;
                for (int k = 0; k < 2; k++) {
                    boolean withHandler = (round + k) % 2 == 0; // ABBA across rounds
                    handler.set(null, withHandler ? installed : null);
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < handshakes; i++) {
                        FinishedHandshake.resume(finished.context);
                    }
                    double ns = (double) (THREADS.getCurrentThreadCpuTime() - t0) / handshakes;
                    if (withHandler) {
                        a = ns;
                    } else {
                        b = ns;
                    }
                }
                if (round >= 0) {
                    on[round] = a;
                    off[round] = b;
                    ratio[round] = a / b;
                }
            }
        } finally {
            handler.set(null, installed);
        }
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        return new double[] {
            Tls.median(on),
            Tls.median(off),
            Tls.median(ratio),
            sorted[sorted.length / 4],
            sorted[(3 * sorted.length) / 4]
        };
    }

    /** CPU time of tlsguard's report writer thread so far, 0 without the agent. */
    private static long writerCpu() {
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals("tlsguard-report-writer")) {
                return Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return 0;
    }

    private static String iqr(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(java.util.Locale.ROOT, "%.0f..%.0f", v[v.length / 4], v[(3 * v.length) / 4]);
    }
}
