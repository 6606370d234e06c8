package io.tlsguard.samples.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Test peers for the compatibility matrix, compat's CompatibilityMatrixIT (not a legacy app).
 *
 * <pre>
 * smtp PORT    an SMTP server on 127.0.0.1 offering STARTTLS (RFC 3207) with the bundled certificate; it
 *              accepts whatever protocols the JVM it runs on allows. Prints "LISTENING port", then one
 *              "TLS protocol cipher" / "MAIL from to" / "SERVER FAIL ..." line per event.
 * </pre>
 *
 * GreenMail (2.0.x, 2.1.x) serves SMTP and SMTPS but does not implement STARTTLS, so the mail sample is
 * checked against this small server.
 */
public final class Peers {
    private Peers() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("smtp")) {
            System.err.println("usage: smtp PORT");
            System.exit(2);
        }
        KeyStore ks = KeyStore.getInstance("JKS");
        try (InputStream in = Peers.class.getResourceAsStream("/tlsguard-test.jks")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getByName("127.0.0.1"));
        System.out.println("LISTENING " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> smtp(ctx, s), "smtp");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void smtp(SSLContext ctx, Socket plain) {
        Socket socket = plain;
        try {
            socket.setSoTimeout(20_000);
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            send(out, "220 127.0.0.1 ESMTP tlsguard-peer");
            boolean tls = false;
            String from = null;
            String to = null;
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.toUpperCase();
                if (cmd.startsWith("EHLO")) {
                    send(out, tls ? "250-127.0.0.1\r\n250 8BITMIME" : "250-127.0.0.1\r\n250-8BITMIME\r\n250 STARTTLS");
                } else if (cmd.startsWith("HELO")) {
                    send(out, "250 127.0.0.1");
                } else if (cmd.startsWith("STARTTLS") && !tls) {
                    send(out, "220 ready to start TLS");
                    SSLSocket ssl = (SSLSocket)
                            ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    System.out.println("TLS " + ssl.getSession().getProtocol() + " "
                            + ssl.getSession().getCipherSuite());
                    System.out.flush();
                    socket = ssl;
                    in = reader(socket);
                    out = socket.getOutputStream();
                    tls = true;
                } else if (cmd.startsWith("MAIL FROM")) {
                    from = line.substring(10).trim();
                    send(out, tls ? "250 ok" : "530 must issue STARTTLS first");
                } else if (cmd.startsWith("RCPT TO")) {
                    to = line.substring(8).trim();
                    send(out, "250 ok");
                } else if (cmd.equals("DATA")) {
                    send(out, "354 end with <CRLF>.<CRLF>");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message body is not kept
                    }
                    System.out.println("MAIL " + from + " " + to);
                    System.out.flush();
                    send(out, "250 queued");
                } else if (cmd.equals("QUIT")) {
                    send(out, "221 bye");
                    break;
                } else if (cmd.equals("RSET") || cmd.equals("NOOP")) {
                    send(out, "250 ok");
                } else {
                    send(out, "502 not implemented");
                }
            }
        } catch (Exception e) {
            System.out.println("SERVER FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
            System.out.flush();
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
