package io.tlsguard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A forked JVM: the real shaded agent jar, a real program, real TLS on 127.0.0.1. */
public final class Jvm {
    public static final Path AGENT = Paths.get(System.getProperty("tlsguard.agent.jar", "target/tlsguard.jar")).toAbsolutePath();
    public static final Path JSSE_SAMPLE = Paths.get(System.getProperty("tlsguard.sample.jsse",
            "../sample-apps/jsse-legacy/target/jsse-legacy.jar")).toAbsolutePath();

    private final Jdks.Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private long timeoutSeconds = 120;

    private Jvm(Jdks.Jdk jdk) {
        this.jdk = jdk;
    }

    public static Jvm on(Jdks.Jdk jdk) {
        return new Jvm(jdk);
    }

    /** -javaagent with these options (null: no options). */
    public Jvm agent(String options) {
        jvmArgs.add("-javaagent:" + AGENT + (options == null ? "" : "=" + options));
        return this;
    }

    /** A JVM whose security configuration re-allows TLSv1 and TLSv1.1, as legacy deployments do. */
    public Jvm legacySecurity() {
        jvmArgs.add("-Djava.security.properties=" + LegacySecurity.file());
        return this;
    }

    public Jvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** An environment variable for the JVM; null removes one inherited from the test. */
    public Jvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Jvm jsseSample(String... sampleArgs) {
        args.add("-jar");
        args.add(JSSE_SAMPLE.toString());
        args.addAll(List.of(sampleArgs));
        return this;
    }

    public Jvm args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    public Jvm timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(jvmArgs);
        command.addAll(args);
        return command;
    }

    public Process start(Path stdout, Path stderr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        env.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        return pb.start();
    }

    public Result run() throws IOException, InterruptedException {
        Path out = Files.createTempFile("tlsguard-it-", ".out");
        Path err = Files.createTempFile("tlsguard-it-", ".err");
        try {
            Process p = start(out, err);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command() + "\nstdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(command(), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What a forked JVM did. {@link #scenario} reads the sample's "SCENARIO name OK|FAIL ..." lines. */
    public record Result(List<String> command, int exit, String stdout, String stderr) {
        public String scenario(String name) {
            String prefix = "SCENARIO " + name + " ";
            return stdout.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no result for scenario " + name + " in\n" + this));
        }

        /** The protocol a scenario negotiated, or null when it failed. */
        public String negotiated(String name) {
            String line = scenario(name);
            return line.startsWith("OK ") ? line.split(" ")[1] : null;
        }

        /** stderr without the JVM's own notices that tlsguard does not control. */
        public List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit: " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
