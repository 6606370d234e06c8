package io.tlsguard.bench;

import java.lang.reflect.Method;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The heap workload: about 1,000,000 handshake events for 100,000 distinct peers, then the used heap after full
 * collections. The driver subtracts the same figure of the run without the agent: that is what tlsguard retains.
 *
 * <p>Real handshakes cannot make a million events in a benchmark's time on two cores (a full handshake costs about a
 * millisecond here). So: {@code real} real in-memory handshakes (TLS 1.2 and 1.3 alternately, each to its own peer
 * name, both sides reported by the agent's JSSE hooks), then, for the other peers, a client SSLEngine per peer
 * ({@code createSSLEngine("peer-N.test", 443)}) whose JSSE TransportContext is handed to
 * {@code TlsGuardHooks.handshakeFinished}: the very call the advice inlined into
 * {@code TransportContext.finishHandshake} makes. The agent builds, counts (summary) and queues a full event from
 * that live JSSE object, so every per-event and per-peer structure of the agent is exercised; only JSSE's own
 * handshake work is skipped. Without the agent the same engines are created and the call is skipped.
 *
 * <p>args: peers=N events=N real=N (needs --add-opens java.base/sun.security.ssl=ALL-UNNAMED on 9+)
 */
public final class Events {
    public static void main(String[] args) throws Exception {
        int peers = (int) Tls.arg(args, "peers", 100_000);
        long events = Tls.arg(args, "events", 1_000_000);
        int real = (int) Tls.arg(args, "real", 200);
        SSLContext ctx = Tls.context();
        Method hook = hook();
        long before = Tls.usedHeapAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < real; i++) {
            Tls.Pair pair = new Tls.Pair(ctx, i % 2 == 0 ? "TLSv1.2" : "TLSv1.3", "peer-" + i + ".test", 443);
            pair.handshake();
        }
        long replayed = 0;
        long rest = events - 2L * real;
        int replayPeers = peers - real;
        for (int i = 0; i < replayPeers; i++) {
            SSLEngine engine = ctx.createSSLEngine("peer-" + (real + i) + ".test", 443);
            engine.setUseClientMode(true);
            Object tc = Tls.transportContext(engine);
            long n = rest / replayPeers + (i < rest % replayPeers ? 1 : 0);
            for (long k = 0; k < n; k++) {
                if (hook != null) {
                    hook.invoke(null, tc);
                }
                replayed++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] w = Tls.writerCounters();
        Thread.sleep(500); // let the writer drain its queue (bounded) so what stays is what the agent keeps
        long after = Tls.usedHeapAfterGc();
        Tls.result(
                "heap_used_kib",
                after / 1024,
                "heap_growth_kib",
                (after - before) / 1024,
                "events",
                2L * real + replayed,
                "peers",
                peers,
                "seconds",
                seconds,
                "events_written",
                w[0],
                "events_dropped",
                w[1]);
    }

    static Method hook() {
        try {
            return Tls.agentRunning() ? Tls.hooks().getMethod("handshakeFinished", Object.class) : null;
        } catch (Throwable notThere) {
            return null;
        }
    }
}
