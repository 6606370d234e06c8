package io.tlsguard.bench;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * tlsguard's per-handshake cost on the host's thread, with the resolution the with/without workloads lack
 * (docs/performance.md, issue 14). Run twice by {@code scripts/bench-hookpath}: once with
 * {@code -javaagent:tlsguard.jar}, once without; the difference of {@link #resumedHandshake} and the absolute
 * figures of the two hook benchmarks are the figures.
 *
 * <ul>
 *   <li>{@link #hookClient}, {@link #hookServer}: one call of {@code TlsGuardHooks.handshakeFinished} (the very call
 *       the advice inlined into {@code TransportContext.finishHandshake} makes) on the TransportContext of a real,
 *       resumed TLS 1.2 SSLEngine handshake, its HandshakeContext put back as it was when the handshake finished,
 *       so every read of the hook finds what it finds in a real handshake. Without the agent the call is skipped
 *       (the bootstrap runtime is not there): the figure is then JMH's own floor.
 *   <li>{@link #resumedHandshake}: a whole resumed TLS 1.2 handshake of an in-memory SSLEngine pair on one thread
 *       (both sides: two events), what {@code WriterRate} part 1 runs on two threads.
 * </ul>
 *
 * <p>The report writer drains the queue on another thread; at the hook benchmarks' rate (millions of calls a
 * second) the queue fills and most events are counted as dropped, which skips only the enqueue itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HookPathBenchmark {
    private SSLContext context;
    private Object clientContext;
    private Object serverContext;
    /** {@code TlsGuardHooks.handshakeFinished(Object)}, or null without the agent. */
    private MethodHandle hook;

    @Setup
    public void setUp() throws Throwable {
        FinishedHandshake finished = new FinishedHandshake();
        context = finished.context;
        clientContext = finished.clientContext;
        serverContext = finished.serverContext;
        hook = finished.hook;
        resumedHandshake(); // fails here, not in the middle of a measurement, if resumption does not work
    }

    @Benchmark
    public void hookClient() throws Throwable {
        if (hook != null) {
            hook.invokeExact(clientContext);
        }
    }

    @Benchmark
    public void hookServer() throws Throwable {
        if (hook != null) {
            hook.invokeExact(serverContext);
        }
    }

    @Benchmark
    public SSLEngine resumedHandshake() throws Exception {
        return FinishedHandshake.resume(context).client;
    }
}
