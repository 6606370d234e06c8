package io.tlsguard.samples.jsse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A long-lived legacy client: the program a user attaches tlsguard to while it runs.
 *
 * <pre>
 * LongLivedClient PORT [--pause-ms N] [--load-classes N]
 * </pre>
 *
 * At start-up, before anyone can attach, it creates and keeps its TLS configuration, all pinned to TLSv1:
 * an {@code SSLContext.getInstance("TLSv1")}, that context's socket factory, and an {@code SSLParameters}
 * with protocols {TLSv1} that it applies to every new {@code SSLEngine}. Then a loop thread makes new
 * connections to 127.0.0.1:PORT round-robin through the scenarios {@code ctx} (a socket from the pinned
 * context's factory), {@code factory} (a socket from the stored factory), {@code engine} (a new engine
 * configured with the stored parameters) and {@code https} (HttpsURLConnection on the stored factory),
 * printing for each {@code HS SEQ SCENARIO OK PROTOCOL CIPHER} or {@code HS SEQ SCENARIO FAIL reason}.
 *
 * <p>{@code --load-classes N} first loads JDK classes until about N classes are loaded (attach latency).
 * Commands on standard input, one a line, each answered on standard output:
 * <pre>
 * pause        stop the loop after the handshake in flight; prints "PAUSED"
 * resume       restart the loop; prints "RESUMED"
 * burst N      N handshakes on this thread (the loop should be paused); prints "BURST ok=.. fail=.."
 * hold         opens a connection from the stored factory and handshakes it; prints "HELD PROTOCOL"
 * release      sends the request on the held connection and reads the answer; "RELEASED OK PROTOCOL"
 * classes      prints "CLASSES n" (loaded class count)
 * quit         exits
 * </pre>
 * "READY classes=N" is printed once the loop runs. It talks only to 127.0.0.1.
 */
public final class LongLivedClient {
    private static final String[] SCENARIOS = {"ctx", "factory", "engine", "https"};
    private static final byte[] REQUEST =
            "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private final SSLContext pinnedContext;
    private final SSLSocketFactory pinnedFactory;
    private final SSLContext engineContext;
    private final SSLParameters pinnedEngineParams;

    private final Object lock = new Object();
    private boolean paused;
    private boolean inFlight;
    private long seq;
    private SSLSocket held;

    private LongLivedClient(int port) throws Exception {
        this.port = port;
        this.pinnedContext = LegacyJsse.init(SSLContext.getInstance("TLSv1"));
        this.pinnedFactory = pinnedContext.getSocketFactory();
        this.engineContext = LegacyJsse.init(SSLContext.getInstance("TLS"));
        this.pinnedEngineParams = engineContext.getDefaultSSLParameters();
        pinnedEngineParams.setProtocols(new String[] {"TLSv1"});
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LongLivedClient PORT [--pause-ms N] [--load-classes N]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long pauseMs = 5;
        int loadClasses = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (args[i].equals("--pause-ms")) {
                pauseMs = Long.parseLong(args[i + 1]);
            } else if (args[i].equals("--load-classes")) {
                loadClasses = Integer.parseInt(args[i + 1]);
            } else {
                System.err.println("unknown option " + args[i]);
                System.exit(2);
            }
        }
        if (loadClasses > 0) {
            loadClasses(loadClasses);
        }
        final LongLivedClient client = new LongLivedClient(port);
        final long pause = pauseMs;
        Thread loop = new Thread(() -> client.loop(pause), "handshake-loop");
        loop.setDaemon(true);
        loop.start();
        say("READY classes=" + loadedClasses());
        client.commands();
    }

    private static long loadedClasses() {
        return ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private void loop(long pauseMs) {
        while (true) {
            synchronized (lock) {
                while (paused) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                inFlight = true;
            }
            try {
                handshake();
            } finally {
                synchronized (lock) {
                    inFlight = false;
                    lock.notifyAll();
                }
            }
            if (pauseMs > 0) {
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One new connection, next scenario in turn; prints one HS line; true when it succeeded. */
    private boolean handshake() {
        long n;
        synchronized (this) {
            n = ++seq;
        }
        String scenario = SCENARIOS[(int) (n % SCENARIOS.length)];
        try {
            SSLSession session = run(scenario);
            say("HS " + n + " " + scenario + " OK " + session.getProtocol() + " " + session.getCipherSuite());
            return true;
        } catch (Throwable e) {
            say("HS " + n + " " + scenario + " FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
            return false;
        }
    }

    private SSLSession run(String scenario) throws Exception {
        switch (scenario) {
            case "ctx":
                return socket(pinnedContext.getSocketFactory());
            case "factory":
                return socket(pinnedFactory);
            case "engine":
                return engine();
            case "https":
                return https();
            default:
                throw new IllegalArgumentException(scenario);
        }
    }

    private SSLSession socket(SSLSocketFactory factory) throws Exception {
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            LegacyJsse.exchange(socket);
            return socket.getSession();
        }
    }

    private SSLSession engine() throws Exception {
        try (Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            plain.setSoTimeout(20_000);
            SSLEngine engine = engineContext.createSSLEngine("127.0.0.1", port);
            engine.setUseClientMode(true);
            engine.setSSLParameters(pinnedEngineParams);
            EngineChannel channel = new EngineChannel(engine, plain);
            channel.handshake();
            channel.write(REQUEST);
            LegacyJsse.checkAnswer(channel.readToEnd());
            return engine.getSession();
        }
    }

    private SSLSession https() throws Exception {
        RecordingSocketFactory factory = new RecordingSocketFactory(pinnedFactory);
        HttpsURLConnection connection =
                (HttpsURLConnection) new URL("https://127.0.0.1:" + port + "/").openConnection();
        connection.setSSLSocketFactory(factory);
        connection.setHostnameVerifier((host, session) -> "127.0.0.1".equals(host));
        connection.setUseCaches(false);
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(20_000);
        try (InputStream in = connection.getInputStream()) {
            if (connection.getResponseCode() != HttpURLConnection.HTTP_OK || in.read(new byte[64]) != 2) {
                throw new IOException("unexpected HTTPS answer");
            }
        } finally {
            connection.disconnect();
        }
        return factory.last.getSession();
    }

    private void commands() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "pause":
                        synchronized (lock) {
                            paused = true;
                            while (inFlight) {
                                lock.wait();
                            }
                        }
                        say("PAUSED");
                        break;
                    case "resume":
                        synchronized (lock) {
                            paused = false;
                            lock.notifyAll();
                        }
                        say("RESUMED");
                        break;
                    case "burst":
                        int ok = 0;
                        int fail = 0;
                        for (int i = Integer.parseInt(words[1]); i > 0; i--) {
                            if (handshake()) {
                                ok++;
                            } else {
                                fail++;
                            }
                        }
                        say("BURST ok=" + ok + " fail=" + fail);
                        break;
                    case "hold":
                        held = (SSLSocket) pinnedFactory.createSocket("127.0.0.1", port);
                        held.setSoTimeout(20_000);
                        held.startHandshake();
                        say("HELD " + held.getSession().getProtocol());
                        break;
                    case "release":
                        try (SSLSocket s = held) {
                            LegacyJsse.exchange(s);
                            say("RELEASED OK " + s.getSession().getProtocol());
                        }
                        held = null;
                        break;
                    case "classes":
                        say("CLASSES " + loadedClasses());
                        break;
                    case "quit":
                        say("BYE");
                        System.exit(0);
                        break;
                    case "":
                        break;
                    default:
                        say("UNKNOWN " + words[0]);
                }
            } catch (Exception e) {
                say("ERROR " + words[0] + " " + e.getClass().getName() + ": "
                        + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        System.exit(0);
    }

    /** Loads JDK classes (without initialising them) until about {@code target} classes are loaded. */
    static void loadClasses(int target) throws Exception {
        List<String> names = new ArrayList<>();
        String bootPath = System.getProperty("sun.boot.class.path");
        if (bootPath != null) { // Java 8: rt.jar and friends
            for (String entry : bootPath.split(java.io.File.pathSeparator)) {
                if (!entry.endsWith(".jar") || !new java.io.File(entry).isFile()) {
                    continue;
                }
                try (JarFile jar = new JarFile(entry)) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        addClassName(names, e.nextElement().getName());
                    }
                }
            }
        } else { // Java 9+: the jrt file system
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
                files.forEach(p -> {
                    String s = p.toString();
                    int slash = s.indexOf('/', "/modules/".length());
                    if (slash > 0) {
                        addClassName(names, s.substring(slash + 1));
                    }
                });
            }
        }
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        for (String name : names) {
            if (loadedClasses() >= target) {
                break;
            }
            try {
                Class.forName(name, false, loader);
            } catch (Throwable ignored) {
                // not loadable here: skip it
            }
        }
    }

    private static void addClassName(List<String> names, String entry) {
        if (entry.endsWith(".class") && !entry.contains("module-info") && !entry.startsWith("META-INF")) {
            names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        }
    }
}
