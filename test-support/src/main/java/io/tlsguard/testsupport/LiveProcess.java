package io.tlsguard.testsupport;

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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process left running (see {@link Fork#start(Path)}): its stdout lines are collected, its stderr goes to a file, stdin takes commands. */
public final class LiveProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path stderr;
    /** Whether {@code process} is runuser, and the command its child. */
    private final boolean viaRunuser;

    private volatile long childPid;

    LiveProcess(Process process, boolean viaRunuser, Path stderr) {
        this.process = process;
        this.viaRunuser = viaRunuser;
        this.stderr = stderr;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // process gone
                    }
                },
                "out-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The stdout lines so far (a live view). */
    public List<String> lines() {
        return lines;
    }

    /** The pid of the command itself (under runuser: its child). */
    public long pid() {
        if (!viaRunuser) {
            return process.pid();
        }
        if (childPid != 0) {
            return childPid;
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            Optional<ProcessHandle> child = process.children().findFirst();
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

    public boolean alive() {
        return viaRunuser ? ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false) : process.isAlive();
    }

    /** Waits for the process to end; its exit code, or null on timeout. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the first line (from index {@code from}) that matches; fails with the output tail on timeout. */
    public String await(int from, Predicate<String> what, Duration timeout, String description)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (int i = from; i < lines.size(); i++) {
                if (what.test(lines.get(i))) {
                    return lines.get(i);
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

    public String await(Predicate<String> what, Duration timeout, String description) throws InterruptedException {
        return await(0, what, timeout, description);
    }

    /** Sends {@code command} and waits (60 s at most) for the answer: the next line starting with {@code answerPrefix}. */
    public String command(String command, String answerPrefix) throws Exception {
        int from = lines.size();
        send(command);
        return await(from, l -> l.startsWith(answerPrefix), Duration.ofSeconds(60), "starting '" + answerPrefix + "'");
    }

    /** The port the jsse sample's server ({@link Jvm#jsseServer}) listens on, once it says so (60 s at most). */
    public int awaitListening() throws InterruptedException {
        String listening = await(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60), "LISTENING");
        return Integer.parseInt(listening.substring("LISTENING ".length()).trim());
    }

    public List<String> tail(int n) {
        List<String> copy = new ArrayList<>(lines);
        return copy.subList(Math.max(0, copy.size() - n), copy.size());
    }

    public String stderrText() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /** SIGTERM (shutdown hooks run: a report's summary is written), and SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
