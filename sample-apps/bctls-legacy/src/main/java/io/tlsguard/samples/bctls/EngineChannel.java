package io.tlsguard.samples.bctls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Drives an {@link SSLEngine} over a blocking TCP socket, the way a hand-written NIO client or server
 * does. Delegated tasks run on the calling thread, so the whole handshake happens on one thread. (A copy of
 * jsse-legacy's: each sample app stands alone.)
 */
final class EngineChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    private boolean inboundDone;

    EngineChannel(SSLEngine engine, Socket socket) throws IOException {
        this.engine = engine;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet * 2);
        this.netOut = ByteBuffer.allocate(packet * 2);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
    }

    void handshake() throws IOException {
        engine.beginHandshake();
        try {
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                status = step(status);
            }
        } catch (SSLException e) {
            flushAlert();
            throw e;
        }
    }

    /** Begins a handshake and sends its first flight (a client's ClientHello), reading nothing back. */
    void sendFirstFlight() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
            status = step(status);
        }
    }

    /** One handshake step; NEED_UNWRAP_AGAIN (DTLS, Java 9+) is compared by name to stay Java 8 source. */
    private HandshakeStatus step(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NEED_WRAP) {
            return wrap(EMPTY).getHandshakeStatus();
        }
        if (status == HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            return engine.getHandshakeStatus();
        }
        if (status.name().startsWith("NEED_UNWRAP")) {
            SSLEngineResult result = unwrap();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("peer closed the connection during the handshake");
            }
            return result.getHandshakeStatus();
        }
        throw new IllegalStateException("unexpected handshake status " + status);
    }

    private SSLEngineResult wrap(ByteBuffer app) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(app, netOut);
        netOut.flip();
        out.write(netOut.array(), 0, netOut.limit());
        out.flush();
        return result;
    }

    /** Unwraps one record, reading from the socket until a whole one is there. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return result;
            }
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n < 0) {
                engine.closeInbound();
                throw new EOFException("peer closed the socket");
            }
            netIn.position(netIn.position() + n);
        }
    }

    /** After a failure the engine holds an alert for the peer; send it so the peer learns why. */
    private void flushAlert() {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrap(EMPTY);
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer may already be gone
        }
    }

    void write(byte[] data) throws IOException {
        ByteBuffer app = ByteBuffer.wrap(data);
        while (app.hasRemaining()) {
            wrap(app);
        }
    }

    /** Reads application data until the peer closes; returns what was read. */
    byte[] readToEnd() throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (!inboundDone) {
            try {
                SSLEngineResult result = unwrap();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    inboundDone = true;
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    step(HandshakeStatus.NEED_TASK);
                }
            } catch (EOFException eof) {
                inboundDone = true;
            }
            appIn.flip();
            all.write(appIn.array(), 0, appIn.limit());
            appIn.clear();
        }
        return all.toByteArray();
    }

    /** Reads application data until the HTTP request header ends. */
    void readRequest() throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf("\r\n\r\n") < 0) {
            SSLEngineResult result = unwrap();
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                step(HandshakeStatus.NEED_TASK);
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY);
            }
            appIn.flip();
            while (appIn.hasRemaining()) {
                seen.append((char) appIn.get());
            }
            appIn.clear();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new EOFException("peer closed before sending a request");
            }
        }
    }

    void close() {
        flushAlert();
    }
}
