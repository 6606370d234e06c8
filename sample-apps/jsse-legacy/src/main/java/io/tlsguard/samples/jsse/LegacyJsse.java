package io.tlsguard.samples.jsse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Security;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A legacy program that pins old TLS in every way the JDK's public API allows. It talks only to 127.0.0.1.
 *
 * <pre>
 * server PORT TRANSPORT PIN      TLS server (TRANSPORT socket|engine) answering a tiny HTTP request;
 *                                PIN is none, ctx:NAME, enabled:P1+P2, params:P1+P2; prints "LISTENING port"
 * client PORT SCENARIO...        runs client scenarios against 127.0.0.1:PORT
 * suite [--engine] [--server-pin=PIN] SCENARIO...
 *                                starts an in-process server (SSLServerSocket, or SSLEngine over a plain
 *                                server socket), pinned like "server", and runs the scenarios against it
 *                                (engine-abandoned and engine-dropped give up on a handshake, and always fail)
 * servers TRANSPORT/PIN...       one in-process server per argument (e.g. socket/enabled:TLSv1), each made
 *                                and pinned on a thread named "server-TRANSPORT/PIN" (its connections on
 *                                "server-TRANSPORT/PIN-conn-N"), and the unpinned-socket scenario against
 *                                each, printed as "SCENARIO unpinned-socket@TRANSPORT/PIN ..."; a server that
 *                                cannot be made prints "SERVER TRANSPORT/PIN FAIL ..." (several server pins,
 *                                one JVM)
 * loop PORT SCENARIO MILLIS      runs one scenario again and again for MILLIS (a long-lived legacy program)
 * storm THREADS MILLIS exit|return
 *                                THREADS threads handshake with an in-process server for MILLIS after the
 *                                first handshake, then the program ends while they still handshake:
 *                                System.exit(0), or main returns
 * </pre>
 *
 * Each client scenario runs on a thread named "scenario-NAME" and prints one line:
 * {@code SCENARIO NAME OK PROTOCOL CIPHER} or {@code SCENARIO NAME FAIL ExceptionClass: message}.
 * The key and trust store is the bundled self-signed certificate for 127.0.0.1.
 *
 * <p>With {@code -Dsample.securityManager=true} the program installs a {@code SecurityManager} first
 * thing in main, as sandboxed applications do on JDK 8 and 11 (JDK 18 to 23 also need
 * {@code -Djava.security.manager=allow}); the policy is the JVM's {@code -Djava.security.policy}.
 */
public final class LegacyJsse {
    private static final String PASSWORD = "changeit";
    private static final byte[] REQUEST =
            "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE =
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private LegacyJsse() {}

    @SuppressWarnings("removal")
    public static void main(String[] args) throws Exception {
        if (System.getSecurityManager() == null && Boolean.getBoolean("sample.securityManager")) {
            System.setSecurityManager(new SecurityManager());
        }
        if (args.length < 2) {
            System.err.println(
                    "usage: server PORT socket|engine PIN | client PORT SCENARIO... | suite [--engine] [--server-pin=PIN] SCENARIO...");
            System.exit(2);
        }
        switch (args[0]) {
            case "server":
                Server server = new Server(Integer.parseInt(args[1]), args[2], args[3]);
                System.out.println("LISTENING " + server.port());
                System.out.flush();
                server.run();
                break;
            case "client":
                System.exit(runScenarios(Integer.parseInt(args[1]), Arrays.copyOfRange(args, 2, args.length)));
                break;
            case "suite":
                String transport = "socket";
                String serverPin = "none";
                int first = 1;
                for (; first < args.length && args[first].startsWith("--"); first++) {
                    if (args[first].equals("--engine")) {
                        transport = "engine";
                    } else if (args[first].startsWith("--server-pin=")) {
                        serverPin = args[first].substring("--server-pin=".length());
                    }
                }
                Server inProcess = new Server(0, transport, serverPin);
                Thread serving = new Thread(inProcess, "server-accept");
                serving.setDaemon(true);
                serving.start();
                int failures = runScenarios(inProcess.port(), Arrays.copyOfRange(args, first, args.length));
                System.exit(failures == 0 ? 0 : 1);
                break;
            case "servers":
                System.exit(servers(Arrays.copyOfRange(args, 1, args.length)));
                break;
            case "loop":
                long until = System.currentTimeMillis() + Long.parseLong(args[3]);
                int n = 0;
                while (System.currentTimeMillis() < until) {
                    runScenarios(Integer.parseInt(args[1]), new String[] {args[2]});
                    n++;
                }
                System.out.println("LOOPED " + n);
                break;
            case "storm":
                storm(Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3].equals("exit"));
                break;
            default:
                System.err.println("unknown command " + args[0]);
                System.exit(2);
        }
    }

    /**
     * Many handshakes at once, then an abrupt end in the middle of them: what a busy service does when it
     * is stopped. Prints "STORM n" (handshakes completed by the client threads) before ending.
     */
    static void storm(int threads, long millis, boolean exit) throws Exception {
        Server server = new Server(0, "socket", "none");
        Thread serving = new Thread(server, "server-accept");
        serving.setDaemon(true);
        serving.start();
        final int port = server.port();
        final SSLContext context = init(SSLContext.getInstance("TLS"));
        final AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            Thread client = new Thread(
                    () -> {
                        while (true) {
                            try {
                                Scenarios.socket(context, port, null);
                                done.incrementAndGet();
                            } catch (Exception e) {
                                // the server's threads are daemons dying with the JVM: nothing to report
                            }
                        }
                    },
                    "storm-" + i);
            client.setDaemon(true);
            client.start();
        }
        long start = System.currentTimeMillis();
        while (done.get() == 0
                && System.currentTimeMillis() - start < 120_000) { // the first one takes long on a busy machine
            Thread.sleep(10);
        }
        Thread.sleep(millis);
        System.out.println("STORM " + done.get());
        System.out.flush();
        if (exit) {
            System.exit(0);
        }
    }

    /** The "servers" command: each server made on its own named thread, then unpinned-socket against it. */
    static int servers(String[] specs) throws InterruptedException {
        int failures = 0;
        for (final String spec : specs) {
            final String name = "server-" + spec;
            final String transport = spec.substring(0, spec.indexOf('/'));
            final String pin = spec.substring(spec.indexOf('/') + 1);
            final Server[] made = new Server[1];
            Thread making = new Thread(
                    () -> {
                        try {
                            made[0] = new Server(0, transport, pin, name);
                        } catch (Throwable e) {
                            System.out.println(
                                    "SERVER " + spec + " FAIL " + e.getClass().getName() + ": "
                                            + String.valueOf(e.getMessage()).replace('\n', ' '));
                            System.out.flush();
                        }
                    },
                    name);
            making.start();
            making.join();
            if (made[0] == null) {
                failures++;
                continue;
            }
            Thread serving = new Thread(made[0], name + "-accept");
            serving.setDaemon(true);
            serving.start();
            failures += runScenario("unpinned-socket@" + spec, "unpinned-socket", made[0].port());
            made[0].awaitServed(1, 10_000);
        }
        return failures;
    }

    /** Runs each scenario on its own named thread; returns how many failed. */
    static int runScenarios(int port, String[] scenarios) throws InterruptedException {
        int failures = 0;
        for (String name : scenarios) {
            if (name.startsWith("pause-")) { // pause-MS: the program stays alive a while (an exporter works meanwhile)
                Thread.sleep(Long.parseLong(name.substring("pause-".length())));
                System.out.println("SCENARIO " + name + " OK");
                System.out.flush();
                continue;
            }
            failures += runScenario(name, name, port);
        }
        return failures;
    }

    /** Runs one scenario on thread "scenario-NAME", printed as "SCENARIO label ..."; 1 if it failed, else 0. */
    static int runScenario(final String label, final String name, final int port) throws InterruptedException {
        final AtomicInteger failures = new AtomicInteger();
        Thread thread = new Thread(
                () -> {
                    String line;
                    try {
                        SSLSession session = Scenarios.run(name, port);
                        line = "OK " + session.getProtocol() + " " + session.getCipherSuite();
                    } catch (Throwable e) {
                        failures.incrementAndGet();
                        line = "FAIL " + e.getClass().getName() + ": "
                                + String.valueOf(e.getMessage()).replace('\n', ' ');
                    }
                    System.out.println("SCENARIO " + label + " " + line);
                    System.out.flush();
                },
                "scenario-" + name);
        thread.start();
        thread.join();
        return failures.get();
    }

    static KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        try (InputStream in = LegacyJsse.class.getResourceAsStream("/tlsguard-test.jks")) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** Initialises a context of the given protocol (optionally from a provider) with the bundled key and trust. */
    static SSLContext init(SSLContext context) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore());
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    static String[] protocols(String plusSeparated) {
        return plusSeparated.split("\\+");
    }

    /** Sends the request and reads the answer: the connection really carried data. */
    static void exchange(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(REQUEST);
        out.flush();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[512];
        for (int n; (n = in.read(buf)) > 0; ) {
            answer.write(buf, 0, n);
        }
        checkAnswer(answer.toByteArray());
    }

    static void checkAnswer(byte[] answer) throws IOException {
        if (!new String(answer, StandardCharsets.US_ASCII).endsWith("ok")) {
            throw new IOException("unexpected answer: " + new String(answer, StandardCharsets.US_ASCII));
        }
    }

    /** The client scenarios: one way of pinning each. */
    static final class Scenarios {
        private Scenarios() {}

        static SSLSession run(String name, int port) throws Exception {
            switch (name) {
                case "ctx-tlsv1":
                    return socket(init(SSLContext.getInstance("TLSv1")), port, null);
                case "ctx-tlsv1.1-provider-name":
                    return socket(init(SSLContext.getInstance("TLSv1.1", "SunJSSE")), port, null);
                case "ctx-tlsv1-provider":
                    return socket(init(SSLContext.getInstance("tlsv1", Security.getProvider("SunJSSE"))), port, null);
                case "ctx-ssl":
                    return socket(init(SSLContext.getInstance("SSL")), port, null);
                case "ctx-sslv3":
                    return socket(init(SSLContext.getInstance("SSLv3")), port, null);
                case "socket-enabled":
                    return socket(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1");
                case "socket-enabled-mixed":
                    return socket(init(SSLContext.getInstance("TLS")), port, "enabled:SSLv2Hello+TLSv1+TLSv1.2");
                case "socket-params":
                    return socket(init(SSLContext.getInstance("TLS")), port, "params:TLSv1.1");
                case "socket-params-ctor":
                    return socket(init(SSLContext.getInstance("TLS")), port, "ctor:TLSv1");
                case "socket-params-roundtrip":
                    return socket(init(SSLContext.getInstance("TLS")), port, "roundtrip:");
                case "engine-params-roundtrip":
                    return engine(init(SSLContext.getInstance("TLS")), port, "roundtrip:");
                case "engine-enabled":
                    return engine(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1");
                case "engine-params":
                    return engine(init(SSLContext.getInstance("TLS")), port, "params:TLSv1.1");
                case "engine-abandoned":
                    return abandonEngine(init(SSLContext.getInstance("TLS")), port, true);
                case "engine-dropped":
                    return abandonEngine(init(SSLContext.getInstance("TLS")), port, false);
                case "unpinned-socket":
                    return socket(init(SSLContext.getInstance("TLS")), port, null);
                case "unpinned-engine":
                    return engine(init(SSLContext.getInstance("TLS")), port, null);
                case "tls12-socket":
                    return socket(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1.2");
                case "tls13-socket":
                    return socket(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1.3");
                case "tls12-engine":
                    return engine(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1.2");
                case "tls13-engine":
                    return engine(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1.3");
                case "resume-tls12":
                    return twice(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1.2");
                case "resume-tls13":
                    return twice(init(SSLContext.getInstance("TLS")), port, "enabled:TLSv1.3");
                case "https-url":
                    return httpsUrl(port, null);
                case "https-url-pinned-factory":
                    return httpsUrl(port, init(SSLContext.getInstance("TLSv1")));
                case "switch-off-tlsguard":
                    switchOffTlsguard();
                    return socket(init(SSLContext.getInstance("TLSv1")), port, null);
                default:
                    throw new IllegalArgumentException("unknown scenario " + name);
            }
        }

        /**
         * What (sandboxed) code might try against tlsguard before pinning TLSv1: remove its hooks through
         * the public bootstrap class, and detach it through the agent's public entry point with a fake
         * Instrumentation; and change the report's counters it can read. Prints one "SWITCH-OFF" line per
         * attempt; tlsguard found by name only.
         */
        static void switchOffTlsguard() {
            try {
                Class<?> hooks = Class.forName("io.tlsguard.bootstrap.TlsGuardHooks");
                hooks.getMethod("install", Class.forName("io.tlsguard.bootstrap.HookHandler"))
                        .invoke(null, new Object[] {null});
                System.out.println("SWITCH-OFF install accepted");
            } catch (InvocationTargetException e) {
                System.out.println("SWITCH-OFF install refused: " + e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.out.println("SWITCH-OFF install failed: " + e);
            }
            try { // the one thing handed out: the report's counters, a copy that changes nothing
                Method counters =
                        Class.forName("io.tlsguard.bootstrap.TlsGuardHooks").getMethod("reportCounters");
                long[] seen = (long[]) counters.invoke(null);
                if (seen != null) {
                    seen[0] = -42;
                }
                long[] again = (long[]) counters.invoke(null);
                System.out.println(
                        "SWITCH-OFF counters " + (again != null && again[0] != -42 ? "read-only" : "changed or none"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.out.println("SWITCH-OFF counters failed: " + e);
            }
            try {
                Object fake = Proxy.newProxyInstance(
                        LegacyJsse.class.getClassLoader(),
                        new Class<?>[] {Instrumentation.class},
                        (proxy, method, args) -> null);
                Class.forName("io.tlsguard.agent.TlsGuardAgent")
                        .getMethod("agentmain", String.class, Instrumentation.class)
                        .invoke(null, "command=detach", fake);
                System.out.println("SWITCH-OFF agentmain returned");
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.out.println("SWITCH-OFF agentmain failed: " + e);
            }
            System.out.flush();
        }

        /** Two connections from one context: the second resumes the first's session. */
        static SSLSession twice(SSLContext context, int port, String pin) throws Exception {
            socket(context, port, pin);
            return socket(context, port, pin);
        }

        static void pin(SSLSocket socket, String pin) {
            if (pin == null) {
                return;
            }
            String[] p = protocols(pin.substring(pin.indexOf(':') + 1));
            if (pin.startsWith("roundtrip:")) { // copy the defaults back, the way Jetty and HttpClient do
                socket.setSSLParameters(socket.getSSLParameters());
            } else if (pin.startsWith("enabled:")) {
                socket.setEnabledProtocols(p);
            } else if (pin.startsWith("params:")) {
                SSLParameters params = socket.getSSLParameters();
                params.setProtocols(p);
                socket.setSSLParameters(params);
            } else {
                socket.setSSLParameters(new SSLParameters(null, p));
            }
        }

        static void pin(SSLEngine engine, String pin) {
            if (pin == null) {
                return;
            }
            String[] p = protocols(pin.substring(pin.indexOf(':') + 1));
            if (pin.startsWith("roundtrip:")) {
                engine.setSSLParameters(engine.getSSLParameters());
            } else if (pin.startsWith("enabled:")) {
                engine.setEnabledProtocols(p);
            } else {
                SSLParameters params = engine.getSSLParameters();
                params.setProtocols(p);
                engine.setSSLParameters(params);
            }
        }

        static SSLSession socket(SSLContext context, int port, String pin) throws Exception {
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                pin(socket, pin);
                socket.startHandshake();
                exchange(socket);
                return socket.getSession();
            }
        }

        static SSLSession engine(SSLContext context, int port, String pin) throws Exception {
            try (Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                SSLEngine engine = context.createSSLEngine("127.0.0.1", port);
                engine.setUseClientMode(true);
                pin(engine, pin);
                EngineChannel channel = new EngineChannel(engine, plain);
                channel.handshake();
                channel.write(REQUEST);
                checkAnswer(channel.readToEnd());
                return engine.getSession();
            }
        }

        /**
         * A program that gives up on a handshake it started: the ClientHello is sent, then the engine is
         * closed ({@code closeOutbound()}, what an NIO client does on a timeout) or simply dropped and
         * collected, before the server's answer is read. Always fails: there is no session to return.
         */
        static SSLSession abandonEngine(SSLContext context, int port, boolean close) throws Exception {
            try (Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                SSLEngine engine = context.createSSLEngine("127.0.0.1", port);
                engine.setUseClientMode(true);
                EngineChannel channel = new EngineChannel(engine, plain);
                channel.sendFirstFlight();
                if (close) {
                    channel.close();
                    throw new IOException("handshake abandoned: engine closed");
                }
                engine = null;
                channel = null;
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(50);
                }
                throw new IOException("handshake abandoned: engine dropped");
            }
        }

        /** HttpsURLConnection; the socket factory is wrapped only to read the negotiated session afterwards. */
        static SSLSession httpsUrl(int port, SSLContext pinned) throws Exception {
            SSLContext context = pinned != null ? pinned : init(SSLContext.getInstance("TLS"));
            RecordingSocketFactory factory = new RecordingSocketFactory(context.getSocketFactory());
            HttpsURLConnection connection =
                    (HttpsURLConnection) new URL("https://127.0.0.1:" + port + "/").openConnection();
            connection.setSSLSocketFactory(factory);
            connection.setHostnameVerifier((host, session) -> "127.0.0.1".equals(host));
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(10_000);
            try (InputStream in = connection.getInputStream()) {
                if (connection.getResponseCode() != HttpURLConnection.HTTP_OK || in.read(new byte[64]) != 2) {
                    throw new IOException("unexpected HTTPS answer");
                }
            } finally {
                connection.disconnect();
            }
            return factory.last.getSession();
        }
    }

    /** A TLS server on 127.0.0.1 that answers each connection with a tiny HTTP response. */
    static final class Server implements Runnable {
        private final ServerSocket listener;
        private final SSLContext context;
        private final boolean engine;
        private final String pin;
        private final AtomicInteger connections = new AtomicInteger();
        /** Connections served or failed (guarded by this). */
        private int served;
        /** The prefix of its connections' thread names; "server" unless several servers share the JVM. */
        private final String name;

        Server(int port, String transport, String pin) throws Exception {
            this(port, transport, pin, "server");
        }

        Server(int port, String transport, String pin, String name) throws Exception {
            this.name = name;
            this.engine = transport.equals("engine");
            this.pin = pin;
            String contextName = pin.startsWith("ctx:") ? pin.substring(4) : "TLS";
            this.context = init(SSLContext.getInstance(contextName));
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            if (engine) {
                listener = new ServerSocket(port, 50, loopback);
            } else {
                SSLServerSocket ssl =
                        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, 50, loopback);
                if (pin.startsWith("enabled:")) {
                    ssl.setEnabledProtocols(protocols(pin.substring(8)));
                } else if (pin.startsWith("params:")) {
                    SSLParameters params = ssl.getSSLParameters();
                    params.setProtocols(protocols(pin.substring(7)));
                    ssl.setSSLParameters(params);
                }
                listener = ssl;
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void run() {
            while (true) {
                final Socket accepted;
                try {
                    accepted = listener.accept();
                } catch (IOException e) {
                    return;
                }
                Thread handler = new Thread(() -> serve(accepted), name + "-conn-" + connections.incrementAndGet());
                handler.setDaemon(true);
                handler.start();
            }
        }

        private void serve(Socket accepted) {
            try (Socket s = accepted) {
                s.setSoTimeout(300_000); // a connection may be held open for minutes (attach tests)
                if (engine) {
                    SSLEngine e = context.createSSLEngine();
                    e.setUseClientMode(false);
                    if (!pin.equals("none") && !pin.startsWith("ctx:")) {
                        Scenarios.pin(e, pin);
                    }
                    EngineChannel channel = new EngineChannel(e, s);
                    channel.handshake();
                    channel.readRequest();
                    channel.write(RESPONSE);
                    channel.close();
                } else {
                    SSLSocket ssl = (SSLSocket) s;
                    ssl.startHandshake();
                    InputStream in = ssl.getInputStream();
                    StringBuilder seen = new StringBuilder();
                    for (int b; seen.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0; ) {
                        seen.append((char) b);
                    }
                    ssl.getOutputStream().write(RESPONSE);
                    ssl.getOutputStream().flush();
                }
            } catch (Exception e) {
                // "SERVER FAIL ...", or "SERVER TRANSPORT/PIN FAIL ..." when several servers share the JVM
                String who = name.startsWith("server-") ? name.substring("server-".length()) + " " : "";
                System.out.println("SERVER " + who + "FAIL " + e.getClass().getName() + ": "
                        + String.valueOf(e.getMessage()).replace('\n', ' '));
                System.out.flush();
            }
            synchronized (this) {
                served++;
                notifyAll();
            }
        }

        /**
         * Waits (at most {@code millis}) until {@code n} connections were served or failed, their lines printed: the
         * client learns of a refused handshake when the socket closes, before the server has said why.
         */
        synchronized void awaitServed(int n, long millis) throws InterruptedException {
            long end = System.currentTimeMillis() + millis;
            while (served < n && System.currentTimeMillis() < end) {
                wait(Math.max(1, end - System.currentTimeMillis()));
            }
        }
    }
}
