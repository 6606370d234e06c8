package io.tlsguard.bench;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** What the workloads share: the test key store, an in-memory SSLEngine pair, RESULT lines, tlsguard's counters. */
final class Tls {
    private Tls() {}

    /** One context that is both server (self-signed key for 127.0.0.1) and client (trusting that key). */
    static SSLContext context() throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        try (InputStream in = Tls.class.getResourceAsStream("/tlsguard-test.jks")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A client and a server SSLEngine talking through two byte buffers: a real TLS connection without sockets. */
    static final class Pair {
        final SSLEngine client;
        final SSLEngine server;
        private final ByteBuffer c2s;
        private final ByteBuffer s2c;
        private final ByteBuffer clientApp;
        private final ByteBuffer serverApp;
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

        Pair(SSLContext ctx, String protocol, String peerHost, int peerPort) {
            client = peerHost == null ? ctx.createSSLEngine() : ctx.createSSLEngine(peerHost, peerPort);
            client.setUseClientMode(true);
            server = ctx.createSSLEngine();
            server.setUseClientMode(false);
            if (protocol != null) {
                client.setEnabledProtocols(new String[] {protocol});
            }
            int net = Math.max(
                    client.getSession().getPacketBufferSize(),
                    server.getSession().getPacketBufferSize());
            int app = Math.max(
                    client.getSession().getApplicationBufferSize(),
                    server.getSession().getApplicationBufferSize());
            c2s = ByteBuffer.allocate(net * 4);
            s2c = ByteBuffer.allocate(net * 4);
            clientApp = ByteBuffer.allocate(app * 2);
            serverApp = ByteBuffer.allocate(app * 2);
        }

        /** Runs the handshake to its end (TLS 1.3 tickets included), both engines on this thread. */
        void handshake() throws SSLException {
            handshake(null);
        }

        /** The same, calling {@code afterStep} after each engine's turn (the JMH benchmark looks at JSSE's state). */
        void handshake(Runnable afterStep) throws SSLException {
            client.beginHandshake();
            server.beginHandshake();
            boolean clientDone = false;
            boolean serverDone = false;
            for (int i = 0; i < 1000; i++) {
                clientDone |= step(client, s2c, c2s, clientApp);
                if (afterStep != null) {
                    afterStep.run();
                }
                serverDone |= step(server, c2s, s2c, serverApp);
                if (afterStep != null) {
                    afterStep.run();
                }
                if (clientDone
                        && serverDone
                        && idle(client)
                        && idle(server)
                        && c2s.position() == 0
                        && s2c.position() == 0) {
                    return;
                }
            }
            throw new SSLException("handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                    + server.getHandshakeStatus());
        }

        private static boolean idle(SSLEngine e) {
            return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
        }

        /** One engine: wraps what it has to send into out, unwraps what the peer sent in in; true once FINISHED. */
        private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app)
                throws SSLException {
            boolean finished = false;
            for (int guard = 0; guard < 64; guard++) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                SSLEngineResult r;
                switch (hs) {
                    case NEED_TASK:
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                        continue;
                    case NEED_WRAP:
                        r = engine.wrap(EMPTY, out);
                        break;
                    case NEED_UNWRAP:
                    default: // NOT_HANDSHAKING, FINISHED, NEED_UNWRAP_AGAIN (Java 9+): read anything the peer sent
                        if (in.position() == 0 && hs != HandshakeStatus.NEED_UNWRAP) {
                            return finished;
                        }
                        in.flip();
                        r = engine.unwrap(in, app);
                        in.compact();
                        app.clear();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            return finished; // wait for the peer
                        }
                        break;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    finished = true;
                }
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("unexpected " + r);
                }
            }
            return finished;
        }

        /** Client to server: one record per call with up to 16 KiB of application data. */
        int send(ByteBuffer data) throws SSLException {
            data.clear();
            c2s.clear();
            SSLEngineResult w = client.wrap(data, c2s);
            c2s.flip();
            serverApp.clear();
            SSLEngineResult u = server.unwrap(c2s, serverApp);
            if (w.getStatus() != SSLEngineResult.Status.OK || u.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("bulk: " + w + " / " + u);
            }
            c2s.clear();
            return u.bytesProduced();
        }

        /** Drops the sessions from the caches so the next handshake of this context is a full one. */
        void invalidate() {
            client.getSession().invalidate();
            server.getSession().invalidate();
        }
    }

    /** The machine-readable line the driver reads. */
    static void result(Object... keyValues) {
        StringBuilder sb = new StringBuilder("RESULT");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            sb.append(' ')
                    .append(keyValues[i])
                    .append('=')
                    .append(v instanceof Double ? String.format(Locale.ROOT, "%.3f", (Double) v) : String.valueOf(v));
        }
        System.out.println(sb);
        System.out.flush();
    }

    static long arg(String[] args, String name, long def) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return Long.parseLong(a.substring(name.length() + 1));
            }
        }
        return def;
    }

    /** The median of per-round or per-window figures (the benchmarks that alternate inside one JVM). */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** tlsguard's bootstrap runtime when tlsguard runs in this JVM (its class is there), else null. */
    static Class<?> hooks() {
        try {
            return Class.forName("io.tlsguard.bootstrap.TlsGuardHooks", false, null);
        } catch (Throwable notThere) {
            return null;
        }
    }

    /** Whether tlsguard runs in this JVM: its bootstrap runtime has a handler installed. */
    static boolean agentRunning() {
        Class<?> hooks = hooks();
        try {
            return hooks != null && (Boolean) hooks.getMethod("installed").invoke(null);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * tlsguard's report counters {written, dropped}, from the bootstrap runtime's public, read-only
     * {@code reportCounters()} (by reflection: the benchmarks also run without the agent); {-1,-1} without
     * the agent or its report.
     */
    static long[] writerCounters() {
        Class<?> hooks = hooks();
        try {
            long[] counters = hooks == null
                    ? null
                    : (long[]) hooks.getMethod("reportCounters").invoke(null);
            return counters != null ? counters : new long[] {-1, -1};
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
    }

    /** JSSE's TransportContext of an engine (needs sun.security.ssl opened on 9+). */
    static Object transportContext(SSLEngine engine) throws Exception {
        Field f = engine.getClass().getDeclaredField("conContext");
        f.setAccessible(true);
        return f.get(engine);
    }

    /** Used heap after full collections settle. */
    static long usedHeapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            Runtime rt = Runtime.getRuntime();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
