package io.tlsguard.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Full TLS 1.2 and 1.3 handshakes, one after the other on one client thread: over loopback sockets (a server
 * thread accepts) and through an in-memory SSLEngine pair. Sessions are invalidated after each handshake so every
 * one is full. Prints handshakes/s for each of the four variants, measured after a warm-up of the same length.
 *
 * <p>args: warmup_ms=N measure_ms=N
 */
public final class HandshakeRate {
    public static void main(String[] args) throws Exception {
        long warmup = Tls.arg(args, "warmup_ms", 1500);
        long measure = Tls.arg(args, "measure_ms", 2000);
        SSLContext ctx = Tls.context();
        Server server = new Server(ctx);
        try {
            double[] r = new double[4];
            String[] names = {"socket_tls12", "socket_tls13", "engine_tls12", "engine_tls13"};
            for (int round = 0; round < 2; round++) { // round 0 warms every variant up, round 1 measures
                long ms = round == 0 ? warmup : measure;
                r[0] = socket(ctx, server, "TLSv1.2", ms);
                r[1] = socket(ctx, server, "TLSv1.3", ms);
                r[2] = engine(ctx, "TLSv1.2", ms);
                r[3] = engine(ctx, "TLSv1.3", ms);
            }
            long[] w = Tls.writerCounters();
            Tls.result(
                    names[0],
                    r[0],
                    names[1],
                    r[1],
                    names[2],
                    r[2],
                    names[3],
                    r[3],
                    "events_written",
                    w[0],
                    "events_dropped",
                    w[1]);
        } finally {
            server.close();
        }
    }

    static double engine(SSLContext ctx, String protocol, long ms) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000L;
        long start = System.nanoTime();
        int n = 0;
        long now;
        do {
            Tls.Pair pair = new Tls.Pair(ctx, protocol, "127.0.0.1", 8443);
            pair.handshake();
            pair.invalidate();
            n++;
        } while ((now = System.nanoTime()) < end);
        return n / ((now - start) / 1e9);
    }

    static double socket(SSLContext ctx, Server server, String protocol, long ms) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        long end = System.nanoTime() + ms * 1_000_000L;
        long start = System.nanoTime();
        int n = 0;
        long now;
        do {
            fullHandshake(ctx, server, lo, protocol);
            n++;
        } while ((now = System.nanoTime()) < end);
        return n / ((now - start) / 1e9);
    }

    /** One new loopback connection to {@code server}, a full handshake with {@code protocol}, one byte read. */
    static void fullHandshake(SSLContext ctx, Server server, InetAddress lo, String protocol) throws Exception {
        Socket plain = new Socket();
        plain.setSoLinger(true, 0); // RST on close: thousands of connections leave no TIME_WAIT behind
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(lo, server.port()));
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", server.port(), true)) {
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            InputStream in = s.getInputStream();
            if (in.read() != 42) { // the server's byte: also reads a TLS 1.3 ticket, as a real client would
                throw new IllegalStateException("no reply");
            }
            s.getSession().invalidate();
        }
    }

    /** Accepts one connection at a time: handshake, one byte, close. */
    static final class Server implements Runnable {
        private final SSLServerSocket socket;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Thread thread;

        Server(SSLContext ctx) throws Exception {
            socket = (SSLServerSocket)
                    ctx.getServerSocketFactory().createServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(this, "bench-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void run() {
            while (!closed.get()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoLinger(true, 0);
                    s.setTcpNoDelay(true);
                    s.startHandshake();
                    OutputStream out = s.getOutputStream();
                    out.write(42);
                    out.flush();
                    s.getSession().invalidate();
                    // wait for the client to close, so the server never resets a connection the client still reads
                    s.getInputStream().read();
                } catch (Exception e) {
                    if (!closed.get() && Boolean.getBoolean("bench.debug")) {
                        e.printStackTrace();
                    }
                }
            }
        }

        void close() throws Exception {
            closed.set(true);
            socket.close();
        }
    }
}
