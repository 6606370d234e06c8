package io.tlsguard.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forked JVM: a JDK of the matrix, the real shaded agent jar, a real program, real TLS on 127.0.0.1; as this JVM's
 * user or as another one ({@link #as}, {@link #behind}: the JDK, the agent jar and the sample are then staged where
 * that user can read them).
 */
public final class Jvm {
    /**
     * First on every forked JVM's command line: the tests' JVMs live seconds, so C1 only (no C2 compiler threads
     * burning CPU on code that is gone before it pays off) and the serial collector (no GC threads to start). About
     * half the CPU of a jsse sample suite on JDK 17, 25, and of the OpenTelemetry runs; tlsguard's behaviour does
     * not depend on the JIT. A test's own options come after them, and win. {@code -Dtlsguard.it.fullJit=true} leaves
     * them out (to compare, or to rule the JIT out of a failure).
     */
    static final List<String> SHORT_LIVED = Boolean.getBoolean("tlsguard.it.fullJit")
            ? List.of()
            : List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path javaHome;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    /** Where -javaagent goes among {@link #jvmArgs} (-1: none): the order of agents is the order of the calls. */
    private int agentAt = -1;

    private String agentOptions;
    /** Where "-jar jsse-legacy.jar" goes among {@link #args} (-1: not the sample). */
    private int sampleAt = -1;
    /** The main class of the sample jar to run from its class path (null: the jar's own, or not the sample). */
    private String sampleMain;

    /** A runuser prefix (empty: this JVM's user); paths are staged for the other user when there is one. */
    private List<String> prefix = List.of();

    private Path directory;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(120);

    private Jvm(Path javaHome) {
        this.javaHome = javaHome;
    }

    public static Jvm on(Jdks.Jdk jdk) {
        return new Jvm(jdk.home());
    }

    /** The JDK that runs the tests (JDK 17). */
    public static Jvm onBuildJdk() {
        return new Jvm(Path.of(System.getProperty("java.home")));
    }

    /** -javaagent with these options (null: no options). */
    public Jvm agent(String options) {
        this.agentAt = jvmArgs.size();
        this.agentOptions = options;
        return this;
    }

    /** A JVM whose security configuration re-allows TLSv1 and TLSv1.1, as legacy deployments do. */
    public Jvm legacySecurity() {
        jvmArgs.add(LegacySecurity.jvmOption());
        return this;
    }

    public Jvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    public Jvm jvmArgs(List<String> more) {
        jvmArgs.addAll(more);
        return this;
    }

    /** An environment variable for the JVM; null removes one inherited from the test. */
    public Jvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the jsse sample jar with these arguments. */
    public Jvm jsseSample(String... sampleArgs) {
        this.sampleAt = args.size();
        args.addAll(List.of(sampleArgs));
        return this;
    }

    /** Runs another main class of the jsse sample jar (e.g. LongLivedClient), from its class path. */
    public Jvm jsseSampleClass(String mainClass, String... sampleArgs) {
        this.sampleMain = mainClass;
        return jsseSample(sampleArgs);
    }

    /**
     * The jsse sample as a TLS server on a free port of 127.0.0.1 ({@code transport}: socket or engine; {@code pin}:
     * none, or e.g. enabled:TLSv1); {@link LiveProcess#awaitListening} gives its port once it listens. Run by its
     * main class, as the attach CLI's {@code list} then names it.
     */
    public Jvm jsseServer(String transport, String pin) {
        return jsseSampleClass("io.tlsguard.samples.jsse.LegacyJsse", "server", "0", transport, pin);
    }

    public Jvm args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Runs the JVM as {@code user} (runuser, from root). */
    public Jvm as(String runAs) {
        return behind(TestUser.as(runAs));
    }

    /** Runs the JVM behind {@code runPrefix}, e.g. {@link TestUser#prefix()} (empty: as this JVM's user). */
    public Jvm behind(List<String> runPrefix) {
        this.prefix = List.copyOf(runPrefix);
        return this;
    }

    public Jvm directory(Path dir) {
        this.directory = dir;
        return this;
    }

    public Jvm timeout(long seconds) {
        this.timeout = Duration.ofSeconds(seconds);
        return this;
    }

    /** The java command line (without a runuser prefix). */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(readable(javaHome).resolve("bin/java").toString());
        command.addAll(SHORT_LIVED);
        List<String> options = new ArrayList<>(jvmArgs);
        if (agentAt >= 0) {
            options.add(
                    agentAt,
                    "-javaagent:" + readable(Artifacts.agentJar()) + (agentOptions == null ? "" : "=" + agentOptions));
        }
        command.addAll(options);
        List<String> main = new ArrayList<>(args);
        if (sampleAt >= 0) {
            String jar = readable(Artifacts.jsseSample()).toString();
            main.addAll(sampleAt, sampleMain == null ? List.of("-jar", jar) : List.of("-cp", jar, sampleMain));
        }
        command.addAll(main);
        return command;
    }

    /** {@code path} itself, or a copy the user can read when this JVM runs as another user. */
    private Path readable(Path path) {
        return prefix.isEmpty() ? path : TestUser.readable(path);
    }

    /** The process this JVM is, to run or start. */
    public Fork fork() {
        return Fork.of(command()).prefix(prefix).env(env).timeout(timeout).directory(directory);
    }

    public Process start(Path stdout, Path stderr) throws IOException {
        return fork().start(stdout, stderr);
    }

    public LiveProcess start(Path stderr) throws IOException {
        return fork().start(stderr);
    }

    public Fork.Result run() throws IOException, InterruptedException {
        return fork().run();
    }
}
