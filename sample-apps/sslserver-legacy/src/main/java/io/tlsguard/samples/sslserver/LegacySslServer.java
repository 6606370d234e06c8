package io.tlsguard.samples.sslserver;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A legacy TLS server: a plain {@link SSLServerSocket} whose enabled protocols are TLSv1 and TLSv1.1 only
 * (kept for old clients). Usage: {@code java -jar sslserver-legacy.jar PORT} (0 = ephemeral); listens on
 * 127.0.0.1, prints {@code LISTENING port}, answers every connection with a tiny HTTP response, and serves
 * until killed.
 */
public final class LegacySslServer {
    private static final byte[] RESPONSE =
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private LegacySslServer() {}

    public static void main(String[] args) throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        try (InputStream in = LegacySslServer.class.getResourceAsStream("/tlsguard-test.jks")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] {"TLSv1", "TLSv1.1"});
        System.out.println("LISTENING " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket accepted = server.accept();
            Thread t = new Thread(() -> serve((SSLSocket) accepted), "conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(SSLSocket socket) {
        try (SSLSocket s = socket) {
            s.setSoTimeout(20_000);
            s.startHandshake();
            System.out.println("HANDSHAKE " + s.getSession().getProtocol() + " "
                    + s.getSession().getCipherSuite());
            System.out.flush();
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            for (int b; seen.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0; ) {
                seen.append((char) b);
            }
            OutputStream out = s.getOutputStream();
            out.write(RESPONSE);
            out.flush();
        } catch (Exception e) {
            System.out.println("SERVER FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
            System.out.flush();
        }
    }
}
