package io.tlsguard.samples.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.util.Properties;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A legacy JavaMail 1.6 program (com.sun.mail:javax.mail, whose classes live in {@code javax.mail} and
 * {@code com.sun.mail}) sending one message over SMTP with STARTTLS and {@code mail.smtp.ssl.protocols=TLSv1}:
 * the library pins TLSv1 itself, in {@code com.sun.mail.util.SocketFetcher.configureSSLSocket}, from its own
 * settings. Usage: {@code java -jar javaxmail-legacy.jar PORT} (an SMTP server with STARTTLS on
 * 127.0.0.1:PORT). Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 */
public final class LegacyBootMail {
    private LegacyBootMail() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int code = 1;
        try {
            Recording factory = new Recording(trustingTestCertificate().getSocketFactory());
            send(port, factory);
            SSLSession tls = factory.last.getSession();
            System.out.println("RESULT OK " + tls.getProtocol() + " " + tls.getCipherSuite());
            code = 0;
        } catch (Throwable e) {
            // MessagingException hides the TLS failure in its cause chain: name the innermost cause too.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root == e ? "" : " (cause " + root.getClass().getName() + ": " + root.getMessage() + ")";
            System.out.println(
                    "RESULT FAIL " + e.getClass().getName() + ": " + (e.getMessage() + why).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }

    private static SSLContext trustingTestCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("JKS");
        try (InputStream in = LegacyBootMail.class.getResourceAsStream("/tlsguard-test.jks")) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void send(int port, SSLSocketFactory factory) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.protocols", "TLSv1");
        props.put("mail.smtp.ssl.socketFactory", factory);
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "20000");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("legacy-app@127.0.0.1"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("ops@127.0.0.1"));
        message.setSubject("nightly report");
        message.setText("all systems nominal");
        Transport.send(message); // the application's call into the library (tests look for this line)
    }

    /** Delegates to the real factory and remembers the last socket, so the program can print what it negotiated. */
    static final class Recording extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        volatile SSLSocket last;

        Recording(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private Socket record(Socket socket) {
            last = (SSLSocket) socket;
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return record(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return record(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return record(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return record(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
            return record(delegate.createSocket(address, port, local, localPort));
        }

        @Override
        public Socket createSocket() throws IOException {
            return record(delegate.createSocket());
        }
    }
}
