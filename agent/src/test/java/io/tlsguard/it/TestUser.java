package io.tlsguard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second, unprivileged user for the tests that are about users, files and permissions. Sessions and CI
 * run as root, which hides every bug a normal user (or a hostile one) would meet: these tests create the
 * user themselves ({@code useradd}) and run commands as it ({@code runuser}).
 */
public final class TestUser {
    public static final String NAME = "tlsguard-it";
    /** Where files the user must read are copied when the checkout itself is closed to it (e.g. under /root). */
    private static final Path STAGE = Paths.get("/var/tmp/tlsguard-it-stage");

    private TestUser() {
    }

    /** Whether these tests can make and use the user: root on Linux with useradd and runuser. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Paths.get("/usr/sbin/useradd"))
                && Files.isExecutable(Paths.get("/usr/sbin/runuser"));
    }

    /** The user's numeric id; the user (with a home directory) is created on first use. */
    public static synchronized int uid() throws IOException, InterruptedException {
        Exec id = exec(List.of("id", "-u", NAME));
        if (id.exit != 0) {
            exec(List.of("useradd", "--create-home", "--shell", "/bin/sh", NAME)); // may race with another test JVM
            id = exec(List.of("id", "-u", NAME));
            if (id.exit != 0) {
                throw new IOException("cannot create user " + NAME + ": " + id.output);
            }
        }
        return Integer.parseInt(id.output.trim());
    }

    public static Path home() {
        return Paths.get("/home", NAME);
    }

    /** {@code command}, run as the user (from root). */
    public static List<String> runAs(List<String> command) throws IOException, InterruptedException {
        uid();
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", NAME, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code path} to the user. */
    public static void chown(Path path) throws IOException, InterruptedException {
        uid();
        Exec e = exec(List.of("chown", "-h", NAME, path.toString()));
        if (e.exit != 0) {
            throw new IOException("chown " + path + ": " + e.output);
        }
    }

    /**
     * A path to {@code file} (a jar, a JDK home) that the user can read: the file itself when it can,
     * else a copy in a root-owned, world-readable staging directory, made once.
     */
    public static synchronized Path readable(Path file) throws IOException, InterruptedException {
        Path real = file.toRealPath();
        if (exec(runAs(List.of("test", "-r", real.toString()))).exit == 0) {
            return real;
        }
        Path copy = STAGE.resolve(Integer.toHexString(real.toString().hashCode())).resolve(real.getFileName().toString());
        if (!Files.exists(copy)) {
            Files.createDirectories(copy.getParent());
            Exec cp = exec(List.of("cp", "-a", real.toString(), copy.toString()));
            if (cp.exit != 0) {
                throw new IOException("cannot stage " + real + ": " + cp.output);
            }
            exec(List.of("chmod", "-R", "a+rX", STAGE.toString()));
        }
        return copy;
    }

    record Exec(int exit, String output) {
    }

    static Exec exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
