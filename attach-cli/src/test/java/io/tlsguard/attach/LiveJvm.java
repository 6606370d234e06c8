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

    LiveJvm(List<String> command, Path stderr) throws IOException {
        this.stderr = stderr;
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
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

    long pid() {
        return process.pid();
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
