package io.tlsguard.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process the tests start: a command, optionally as another user (a runuser prefix), in a directory, with changes
 * to the inherited environment (JAVA_TOOL_OPTIONS is never inherited: the test's own would leak into what is tested).
 * {@link #run()} waits for it and captures its output; {@link #start(Path)} leaves it running.
 */
public final class Fork {
    private final List<String> command;
    private List<String> prefix = List.of();
    private Path directory;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(120);

    private Fork(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static Fork of(List<String> command) {
        return new Fork(command);
    }

    /** Runs the command behind {@code prefix} (e.g. {@link TestUser#as}: runuser -u USER --); empty: as this JVM's user. */
    public Fork prefix(List<String> runPrefix) {
        this.prefix = List.copyOf(runPrefix);
        return this;
    }

    public Fork directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** An environment variable; null removes one inherited from the test. */
    public Fork env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Fork env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    public Fork timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** The whole command line, prefix included. */
    public List<String> command() {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    private ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(command());
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        env.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
        return pb;
    }

    /** Starts the process with stdout and stderr to files and no stdin. */
    public Process start(Path stdout, Path stderr) throws IOException {
        return builder()
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(new File("/dev/null"))
                .start();
    }

    /** Starts the process, leaves it running: its stdout lines are collected, stderr goes to {@code stderr}, stdin takes commands. */
    public LiveProcess start(Path stderr) throws IOException {
        return new LiveProcess(builder().redirectError(stderr.toFile()).start(), !prefix.isEmpty(), stderr);
    }

    /** Runs the process to its end (killed, with all it started, and failing the test after the timeout). */
    public Result run() throws IOException, InterruptedException {
        Path out = Files.createTempFile("tlsguard-it-", ".out");
        Path err = Files.createTempFile("tlsguard-it-", ".err");
        try {
            long t0 = System.nanoTime();
            Process p = start(out, err);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                askJvmsForThreadDumps(p);
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + command() + "\nstdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new Result(
                    command(),
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    millis);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * A JVM that hangs says where before it is killed: SIGQUIT makes HotSpot print every thread's stack on its
     * stdout, which the timeout's message carries. A JVM stuck in a class-loading cycle may not answer even that
     * (its signal thread waits too): then only a reproduction under gdb ({@code thread apply all bt}) tells.
     */
    private static void askJvmsForThreadDumps(Process p) throws InterruptedException {
        List<ProcessHandle> jvms = Stream.concat(Stream.of(p.toHandle()), p.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .toList();
        for (ProcessHandle jvm : jvms) {
            try {
                new ProcessBuilder("kill", "-QUIT", String.valueOf(jvm.pid()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
            } catch (IOException noKill) {
                return; // the dump is a help, not a condition
            }
        }
        if (!jvms.isEmpty()) {
            Thread.sleep(2_000); // time to print
        }
    }

    /**
     * What a process did. {@link #scenario} reads the jsse sample's "SCENARIO name OK|FAIL ..." lines;
     * {@code millis}: wall time from start to exit.
     */
    public record Result(List<String> command, int exit, String stdout, String stderr, long millis) {
        public String scenario(String name) {
            String prefix = "SCENARIO " + name + " ";
            return stdout.lines()
                    .filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no result for scenario " + name + " in\n" + this));
        }

        /** The protocol a scenario negotiated, or null when it failed. */
        public String negotiated(String name) {
            String line = scenario(name);
            return line.startsWith("OK ") ? line.split(" ")[1] : null;
        }

        /** stderr without the JVM's own notices that tlsguard does not control. */
        public List<String> stderrLines() {
            return stderr.lines()
                    .filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS"))
                    .toList();
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit: " + exit + " (" + millis + " ms)\nstdout:\n"
                    + stdout + "\nstderr:\n" + stderr;
        }
    }
}
