package io.tlsguard.attach;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A JVM (or any process) the tests start: its stdout lines are collected, its stderr goes to a file, stdin takes commands. */
final class LiveJvm implements AutoCloseable {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final Path stderr;
    /** Whether {@code process} is runuser, and the command its child. */
    private final boolean viaRunuser;
    private volatile long childPid;

    /** Runs {@code command} as the user of this test JVM (e.g. a server that is no target). */
    LiveJvm(List<String> command, Path stderr) throws IOException {
        this(List.of(), command, stderr);
    }

    /** Runs {@code command} as the tests' user (see {@link ItUser}): what the CLI is pointed at. */
    static LiveJvm target(List<String> command, Path stderr) throws IOException {
        return new LiveJvm(ItUser.prefix(), command, stderr);
    }

    /** Runs {@code prefix + command}; a runuser prefix makes {@link #pid()} the command's own pid (runuser's child). */
    LiveJvm(List<String> prefix, List<String> command, Path stderr) throws IOException {
        this.stderr = stderr;
        this.viaRunuser = !prefix.isEmpty();
        List<String> full = new java.util.ArrayList<>(prefix);
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectError(stderr.toFile());
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "out-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The pid of the command itself (under runuser: its child). */
    long pid() {
        if (!viaRunuser) {
            return process.pid();
        }
        if (childPid != 0) {
            return childPid;
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            java.util.Optional<ProcessHandle> child = process.children().findFirst();
            if (child.isPresent()) {
                childPid = child.get().pid();
                return childPid;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("runuser started no child: " + stderrText());
    }

    boolean alive() {
        return viaRunuser ? ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false) : process.isAlive();
    }

    void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the first line (from index {@code from}) that matches; fails with the output tail on timeout. */
    String await(int from, Predicate<String> what, Duration timeout, String description) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (int i = from; i < out.size(); i++) {
                if (what.test(out.get(i))) {
                    return out.get(i);
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line " + description + " within " + timeout + "; alive=" + process.isAlive()
                + "; last lines: " + tail(15) + "; stderr: " + stderrText());
    }

    String await(Predicate<String> what, Duration timeout, String description) throws InterruptedException {
        return await(0, what, timeout, description);
    }

    String command(String command, String answerPrefix) throws Exception {
        int from = out.size();
        send(command);
        return await(from, l -> l.startsWith(answerPrefix), Duration.ofSeconds(60), "starting '" + answerPrefix + "'");
    }

    List<String> tail(int n) {
        List<String> copy = new ArrayList<>(out);
        return copy.subList(Math.max(0, copy.size() - n), copy.size());
    }

    String stderrText() {
        try {
            return Files.exists(stderr) ? new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
