package io.tlsguard.samples.nio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * A hand-written NIO HTTP/1.0 client on an {@link SSLEngine} over a non-blocking {@link SocketChannel}, written the
 * way such clients were before TLS 1.3 (2018): one thread, one selector, the engine pinned with
 * {@code setEnabledProtocols(new String[] {"TLSv1"})}, the answer read until the server closes (HTTP/1.0), every
 * step driven by the engine's handshake status.
 *
 * <p>Its TLS 1.2 habit, kept on purpose: the close. Under TLS 1.2 an engine that receives the server's close_notify
 * answers it with its own (the handshake status turns NEED_WRAP; RFC 5246 7.2.1), so the client follows the
 * engine until {@code isOutboundDone()} and never closes its side itself; at the end of the stream it stops reading
 * and waits for the engine. TLS 1.3 made the close a half-close (RFC 8446 6.1): a JDK engine that receives a
 * close_notify alone (from a server that half-closes, such as jsse-legacy's {@code server PORT engine none}) keeps
 * its own side open and asks for nothing, so the client waits until its timeout. (A JDK {@code SSLSocket} server's
 * {@code close()} under TLS 1.3 sends user_canceled before its close_notify, after which the JDK engine closes its
 * side too: against jsse-legacy's {@code socket} server this client works on TLS 1.3.)
 *
 * <p>Usage: {@code java -jar nio-legacy.jar PORT} (127.0.0.1 only). Prints {@code RESULT OK protocol cipher} (exit
 * 0) or {@code RESULT FAIL ExceptionClass: message} (exit 1); after 8 s without completing it gives up with
 * {@code RESULT FAIL java.net.SocketTimeoutException: no complete answer within 8000 ms while ...} instead of
 * hanging. The bundled {@code tlsguard-test.jks} (password {@code changeit}) is the trust store.
 */
public final class LegacyNioClient {
    private static final long TIMEOUT_MILLIS = 8_000;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] REQUEST =
            "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final SSLEngine engine;
    private final long deadline;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private ByteBuffer appIn;
    private String phase = "connecting";
    private boolean endOfStream;

    private LegacyNioClient(SSLContext context, int port) throws IOException {
        deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        engine = context.createSSLEngine("127.0.0.1", port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1"});
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        selector = Selector.open();
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        key = channel.register(selector, SelectionKey.OP_CONNECT);
    }

    public static void main(String[] args) {
        int code = 1;
        try {
            LegacyNioClient client = new LegacyNioClient(context(), Integer.parseInt(args[0]));
            try {
                SSLSession session = client.fetch();
                System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
                code = 0;
            } finally {
                client.channel.close();
                client.selector.close();
            }
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }

    private static SSLContext context() throws Exception {
        KeyStore trust = KeyStore.getInstance("JKS");
        try (InputStream in = LegacyNioClient.class.getResourceAsStream("/tlsguard-test.jks")) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Connects, handshakes, sends the request and reads the answer until the server closes. */
    private SSLSession fetch() throws IOException {
        await(SelectionKey.OP_CONNECT);
        channel.finishConnect();
        phase = "handshaking";
        handshake();
        phase = "sending the request";
        ByteBuffer request = ByteBuffer.wrap(REQUEST);
        while (request.hasRemaining()) {
            wrap(request);
        }
        phase = "reading the answer";
        String answer = new String(readUntilClosed(), StandardCharsets.US_ASCII);
        if (!answer.startsWith("HTTP/1.") || !answer.contains(" 200 ")) {
            throw new IOException("unexpected answer: " + answer);
        }
        completeClose();
        return engine.getSession();
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            switch (status) {
                case NEED_WRAP:
                    status = wrap(EMPTY).getHandshakeStatus();
                    break;
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    status = engine.getHandshakeStatus();
                    break;
                default: // NEED_UNWRAP
                    netIn.flip();
                    SSLEngineResult result = engine.unwrap(netIn, appIn);
                    netIn.compact();
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("server closed the connection during the handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        readMore();
                    }
                    status = result.getHandshakeStatus();
            }
        }
    }

    /**
     * HTTP/1.0 without Content-Length handling: the answer ends when the server closes, which TLS announces with
     * close_notify (unwrap returns CLOSED). An unwrap that produced no application data means "read the network
     * again".
     */
    private byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (!engine.isInboundDone()) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW:
                    ByteBuffer larger = ByteBuffer.allocate(appIn.capacity() * 2);
                    appIn.flip();
                    appIn = larger.put(appIn);
                    break;
                case OK:
                    if (result.bytesProduced() == 0) {
                        readMore(); // a record cut in two by the network (so it was before TLS 1.3)
                    }
                    break;
                case BUFFER_UNDERFLOW:
                    readMore();
                    break;
                default: // CLOSED: the server's close_notify
                    break;
            }
            appIn.flip();
            answer.write(appIn.array(), 0, appIn.limit());
            appIn.clear();
        }
        return answer.toByteArray();
    }

    /**
     * Waits until the socket is readable and reads what is there. At the end of the stream the client stops
     * reading: the server has closed, and the engine will say when the TLS close is complete.
     */
    private void readMore() throws IOException {
        if (endOfStream) {
            await(0);
            return;
        }
        await(SelectionKey.OP_READ);
        if (channel.read(netIn) < 0) {
            endOfStream = true;
            key.interestOps(0);
        }
    }

    /** Wraps and writes all of it, waiting for the socket to take it. */
    private SSLEngineResult wrap(ByteBuffer app) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(app, netOut);
        netOut.flip();
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
        return result;
    }

    /**
     * The answer ended with the server's close_notify. The engine answers it with its own (TLS 1.2, RFC 5246 7.2.1:
     * the handshake status turns NEED_WRAP) and the close is complete once that went out: the client follows the
     * engine, as during the handshake, and never closes its side itself.
     */
    private void completeClose() throws IOException {
        phase = "completing the TLS close";
        while (!engine.isOutboundDone()) {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                try {
                    wrap(EMPTY);
                } catch (IOException serverGone) {
                    return; // the server closed its socket after its close_notify: nothing left to tell it
                }
            } else {
                readMore(); // the rest of the close is still on its way
            }
        }
    }

    /** Waits for one of {@code ops} (0: for nothing, until the timeout), failing at the deadline. */
    private void await(int ops) throws IOException {
        if (ops != 0) {
            key.interestOps(ops);
        }
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new SocketTimeoutException("no complete answer within " + TIMEOUT_MILLIS + " ms while " + phase
                        + " (" + engine.getSession().getProtocol() + ", inbound done: " + engine.isInboundDone()
                        + ", " + netIn.position() + " bytes not unwrapped)");
            }
            selector.select(left);
            if (ops != 0 && key.isValid() && (key.readyOps() & ops) != 0) {
                selector.selectedKeys().clear();
                return;
            }
            selector.selectedKeys().clear();
        }
    }
}
