package io.tlsguard.samples.bctls;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Security;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * A legacy client on the Bouncy Castle JSSE provider (BCJSSE) instead of the JDK's SunJSSE: the context is
 * {@code SSLContext.getInstance("TLSv1", "BCJSSE")} and the socket is pinned to TLSv1. Nothing here runs
 * through sun.security.ssl. Usage: {@code java -jar bctls-legacy.jar PORT [bc-parameters]}: with
 * {@code bc-parameters} the context is {@code "TLS"} and the socket is pinned to TLSv1 through Bouncy Castle's own
 * API instead ({@code BCSSLSocket.setParameters(BCSSLParameters)}), which no JSSE setter sees.
 * Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 *
 * <p>{@code java -jar bctls-legacy.jar PORT engine}: the same client on a BCJSSE {@link SSLEngine} (pinned with
 * {@code setEnabledProtocols({TLSv1})}) driven over a plain socket.
 *
 * <p>{@code java -jar bctls-legacy.jar server PORT}: a BCJSSE server socket on 127.0.0.1:PORT (0: any; prints
 * {@code LISTENING port}) pinned with {@code setEnabledProtocols({TLSv1})}, which answers one HTTP/1.0 request with
 * {@code ok}, prints its RESULT line the same way and exits.
 */
public final class LegacyBcTls {
    private LegacyBcTls() {}

    public static void main(String[] args) {
        if (args[0].equals("server")) {
            serveOnce(Integer.parseInt(args[1]));
            return;
        }
        int port = Integer.parseInt(args[0]);
        if (args.length > 1 && args[1].equals("engine")) {
            engineClient(port);
            return;
        }
        boolean bcParameters = args.length > 1 && args[1].equals("bc-parameters");
        int code = 1;
        try {
            Security.addProvider(new BouncyCastleProvider());
            Security.addProvider(new BouncyCastleJsseProvider());
            KeyStore trust = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyBcTls.class.getResourceAsStream("/tlsguard-test.jks")) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "BCJSSE");
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance(bcParameters ? "TLS" : "TLSv1", "BCJSSE");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                if (bcParameters) {
                    BCSSLSocket bc = (BCSSLSocket) socket;
                    BCSSLParameters parameters = bc.getParameters();
                    parameters.setProtocols(new String[] {"TLSv1"});
                    bc.setParameters(parameters);
                } else {
                    socket.setEnabledProtocols(new String[] {"TLSv1"});
                }
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                SSLSession session = socket.getSession();
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[512];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        answer.write(buf, 0, n);
                    }
                } catch (java.io.IOException closedWithoutCloseNotify) {
                    // peers that drop the TCP connection after answering; the answer is checked below
                }
                String text = new String(answer.toByteArray(), StandardCharsets.US_ASCII);
                if (!text.startsWith("HTTP/1.") || !text.contains(" 200 ")) {
                    throw new IllegalStateException("unexpected answer: " + text);
                }
                System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
            }
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }

    private static void serveOnce(int port) {
        int code = 1;
        try {
            Security.addProvider(new BouncyCastleProvider());
            Security.addProvider(new BouncyCastleJsseProvider());
            KeyStore keys = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyBcTls.class.getResourceAsStream("/tlsguard-test.jks")) {
                keys.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", "BCJSSE");
            kmf.init(keys, "changeit".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS", "BCJSSE");
            ctx.init(kmf.getKeyManagers(), null, null);
            try (SSLServerSocket server = (SSLServerSocket)
                    ctx.getServerSocketFactory().createServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                server.setEnabledProtocols(new String[] {"TLSv1"});
                System.out.println("LISTENING " + server.getLocalPort());
                System.out.flush();
                server.setSoTimeout(20_000);
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setSoTimeout(20_000);
                    socket.startHandshake();
                    SSLSession session = socket.getSession();
                    InputStream in = socket.getInputStream();
                    StringBuilder request = new StringBuilder();
                    for (int b; !request.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
                        request.append((char) b);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
                }
            }
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }

    private static void engineClient(int port) {
        int code = 1;
        try {
            SSLContext ctx = bcContext();
            try (Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                plain.setSoTimeout(20_000);
                SSLEngine engine = ctx.createSSLEngine("127.0.0.1", port);
                engine.setUseClientMode(true);
                engine.setEnabledProtocols(new String[] {"TLSv1"});
                EngineChannel channel = new EngineChannel(engine, plain);
                channel.handshake();
                channel.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String text = new String(channel.readToEnd(), StandardCharsets.US_ASCII);
                if (!text.startsWith("HTTP/1.") || !text.contains(" 200 ")) {
                    throw new IllegalStateException("unexpected answer: " + text);
                }
                SSLSession session = engine.getSession();
                System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
            }
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }

    /** A BCJSSE "TLS" context trusting the test certificate. */
    private static SSLContext bcContext() throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        Security.addProvider(new BouncyCastleJsseProvider());
        KeyStore trust = KeyStore.getInstance("JKS");
        try (InputStream in = LegacyBcTls.class.getResourceAsStream("/tlsguard-test.jks")) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "BCJSSE");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS", "BCJSSE");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
