package io.tlsguard.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The report writer's sustained rate. Two parts:
 *
 * <p>1. Real handshakes as fast as this machine makes them: {@code threads} threads, each resuming TLS 1.2 sessions
 * with an in-memory SSLEngine pair (abbreviated handshakes: no public-key work), for measure_ms. Prints resumed
 * handshakes/s (both runs, so the driver gets a ratio) and, with the agent, events/s offered and dropped.
 *
 * <p>2. With the agent only: the writer's ceiling. Real handshakes do not reach 50,000 events/s on two cores, so a
 * paced producer hands one real, completed TransportContext to {@code TlsGuardHooks.handshakeFinished} (the call the
 * advice makes) at stepped rates, each step step_ms long; the figure is the highest offered rate at which no event
 * was dropped in that step or any earlier one. The queue holds 8,192 events, so a step that outruns the writer by
 * more than 8,192 events in step_ms drops.
 *
 * <p>args: warmup_ms=N measure_ms=N threads=N step_ms=N
 */
public final class WriterRate {
    static final int[] STEPS = {10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 400_000, 600_000};

    public static void main(String[] args) throws Exception {
        long warmup = Tls.arg(args, "warmup_ms", 1000);
        long measure = Tls.arg(args, "measure_ms", 2000);
        int threads = (int) Tls.arg(args, "threads", 2);
        long stepMs = Tls.arg(args, "step_ms", 1000);
        SSLContext ctx = Tls.context();
        resumed(ctx, threads, warmup);
        long[] w0 = Tls.writerCounters();
        long t0 = System.nanoTime();
        long hs = resumed(ctx, threads, measure);
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] w1 = Tls.writerCounters();
        List<Object> out = new ArrayList<>();
        out.add("resumed_hs_s");
        out.add(hs / secs);
        if (w0[0] >= 0) {
            out.add("real_events_s");
            out.add(2 * hs / secs);
            out.add("real_dropped");
            out.add(w1[1] - w0[1]);
            paced(ctx, stepMs, out);
        }
        Tls.result(out.toArray());
    }

    /** Resumed TLS 1.2 handshakes on {@code threads} threads for ms; returns how many. */
    static long resumed(final SSLContext ctx, int threads, long ms) throws Exception {
        final AtomicLong count = new AtomicLong();
        final long end = System.nanoTime() + ms * 1_000_000L;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            ts[t] = new Thread(
                    () -> {
                        try {
                            while (System.nanoTime() < end) {
                                resume(ctx, id);
                                count.incrementAndGet();
                            }
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    },
                    "bench-resume-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return count.get();
    }

    /** One resumed TLS 1.2 handshake: the same peer for the same id each time, so the client resumes its session. */
    static void resume(SSLContext ctx, int id) throws Exception {
        new Tls.Pair(ctx, "TLSv1.2", "resume-" + id + ".test", 443).handshake();
    }

    static void paced(SSLContext ctx, long stepMs, List<Object> out) throws Exception {
        Tls.Pair pair = new Tls.Pair(ctx, "TLSv1.3", "writer.test", 443);
        pair.handshake();
        Object tc = Tls.transportContext(pair.client);
        Method hook = Events.hook();
        long sustained = 0;
        double ceiling = 0;
        StringBuilder steps = new StringBuilder();
        for (int rate : STEPS) {
            Thread.sleep(200); // let the queue empty between steps
            long[] a = Tls.writerCounters();
            long start = System.nanoTime();
            long offered = 0;
            long stepNanos = stepMs * 1_000_000L;
            long now;
            while ((now = System.nanoTime() - start) < stepNanos) {
                long due = now * rate / 1_000_000_000L;
                while (offered < due) {
                    hook.invoke(null, tc);
                    offered++;
                }
                if (offered >= due) {
                    Thread.yield();
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            long[] b = Tls.writerCounters();
            long dropped = b[1] - a[1];
            double offeredRate = offered / secs;
            double writtenRate = (b[0] - a[0]) / secs;
            ceiling = Math.max(ceiling, writtenRate);
            steps.append(steps.length() == 0 ? "" : ",")
                    .append(Math.round(offeredRate))
                    .append(':')
                    .append(dropped);
            if (dropped > 0) {
                break;
            }
            sustained = Math.max(sustained, Math.round(offeredRate));
        }
        out.add("sustained_events_s");
        out.add(sustained);
        out.add("written_ceiling_events_s");
        out.add(ceiling);
        out.add("steps_offered_dropped");
        out.add(steps.toString());
    }
}
