package io.tlsguard.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unprivileged user of the tests about users, files, permissions and attach. Sessions and CI run as root, which
 * hides every bug a normal (or hostile) user would meet: the tests create the user themselves ({@code useradd}) and
 * run commands as it ({@code runuser -u USER --}); the test JVM itself stays root (it starts processes as anyone and
 * reads what they write). The CLI's integration tests run twice, the second time with
 * {@code -Dtlsguard.it.runAs=tlsguard-it}: every CLI run and target JVM as that user ({@link #prefix()}).
 */
public final class TestUser {
    /** The unprivileged user the tests create and use. */
    public static final String NAME = "tlsguard-it";
    /** Set by the CLI's failsafe execution "unprivileged": the user every CLI run and target JVM runs as. */
    public static final String RUN_AS = System.getProperty("tlsguard.it.runAs", "");

    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");
    private static final Path USERADD = Path.of("/usr/sbin/useradd");
    /** Where what the user must read is copied when the checkout is closed to it (e.g. a clone under /root). */
    private static final Path STAGE = Path.of("/var/tmp/tlsguard-it-stage");

    private static final Map<Path, Path> READABLE = new HashMap<>();

    private TestUser() {}

    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Whether these tests can make and use other users: root on Linux with useradd and runuser. */
    public static boolean available() {
        return isRoot() && Files.isExecutable(USERADD) && Files.isExecutable(RUNUSER);
    }

    /** Skips a test that needs root, useradd and runuser (to start processes as other users). */
    public static void assumeAvailable() {
        assumeTrue(available(), "needs root, useradd and runuser to run processes as other users");
    }

    /** The prefix that runs a command as the tests' user: empty, or runuser under -Dtlsguard.it.runAs. */
    public static List<String> prefix() {
        if (RUN_AS.isEmpty()) {
            return List.of();
        }
        assumeTrue(
                isRoot(),
                "-Dtlsguard.it.runAs needs root; this user (" + System.getProperty("user.name")
                        + ") already is unprivileged, and the first execution ran everything as it");
        return as(RUN_AS);
    }

    /** The prefix that runs a command as {@code user} (created if missing). */
    public static List<String> as(String user) {
        ensure(user);
        return List.of(RUNUSER.toString(), "-u", user, "--");
    }

    /** {@code command}, run as {@link #NAME} (from root). */
    public static List<String> runAs(List<String> command) {
        List<String> wrapped = new ArrayList<>(as(NAME));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Creates the user (with a home directory) unless it exists. Safe when several test JVMs do it at once:
     * useradd locks /etc/passwd and fails with 9 (exists) or 10 (locked) for the one that loses.
     */
    public static synchronized void ensure(String user) {
        try {
            for (int attempt = 0; attempt < 50; attempt++) {
                if (exec(List.of("id", "-u", user)).exit() == 0) {
                    awaitHome(user);
                    return;
                }
                int rc = exec(List.of(USERADD.toString(), "--create-home", "--shell", "/bin/sh", user))
                        .exit();
                if (rc == 0) {
                    return;
                }
                if (rc != 9 && rc != 10) {
                    throw new AssertionError("useradd --create-home " + user + " failed with exit code " + rc);
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot create user " + user + ": " + e, e);
        }
        throw new AssertionError("user " + user + " could not be created (useradd kept finding /etc/passwd locked)");
    }

    /**
     * Waits (at most 10 s) for the home directory of a user another test JVM is creating right now: useradd writes
     * /etc/passwd before it makes the home.
     */
    private static void awaitHome(String user) throws IOException, InterruptedException {
        Exec home = exec(List.of("sh", "-c", "getent passwd \"$1\" | cut -d: -f6", "sh", user));
        Path dir = Path.of(home.output().trim());
        for (int i = 0; i < 100 && !Files.isDirectory(dir); i++) {
            Thread.sleep(100);
        }
    }

    /** {@link #NAME}'s numeric id (the user is created on first use). */
    public static int uid() throws IOException {
        return uid(NAME);
    }

    public static int uid(String user) throws IOException {
        return Integer.parseInt(passwd(user)[2]);
    }

    /** {@link #NAME}'s home directory. */
    public static Path home() throws IOException {
        return home(NAME);
    }

    public static Path home(String user) throws IOException {
        return Path.of(passwd(user)[5]);
    }

    private static String[] passwd(String user) throws IOException {
        ensure(user);
        for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", -1);
            if (f[0].equals(user) && f.length > 5) {
                return f;
            }
        }
        throw new AssertionError("no /etc/passwd entry for " + user);
    }

    /** Gives {@code path} (not a symlink's target) to {@link #NAME}. */
    public static Path chown(Path path) throws IOException {
        return chown(path, NAME);
    }

    public static Path chown(Path path, String user) throws IOException {
        ensure(user);
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        return path;
    }

    /** Hands a test directory to the tests' user (under -Dtlsguard.it.runAs), so that its CLI and JVMs can work in it. */
    public static Path own(Path dir) throws IOException {
        return RUN_AS.isEmpty() || !isRoot() ? dir : chown(dir, RUN_AS);
    }

    /**
     * A path to {@code path} (a jar, a JDK home) that {@link #NAME} can read and run: {@code path} itself when it can
     * (always when this JVM is not root), else a copy in a root-owned, world-readable staging directory, made once.
     */
    public static synchronized Path readable(Path path) {
        if (!isRoot() || !Files.isExecutable(RUNUSER)) {
            return path;
        }
        return READABLE.computeIfAbsent(path, p -> {
            try {
                Path real = p.toRealPath();
                String test = Files.isDirectory(real) ? "test -x " + real + "/bin/java" : "test -r " + real;
                if (exec(runAs(List.of("/bin/sh", "-c", test))).exit() == 0) {
                    return real; // not p: a link in a directory closed to the user (a checkout in /root) would stop it
                }
                return staged(real);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot make " + p + " readable for " + NAME + ": " + e, e);
            }
        });
    }

    /**
     * A world-readable copy of {@code real}, made once (atomically: several test JVMs may stage at once). A file's copy
     * is keyed by its size and modification time too, so that a rebuilt jar is staged anew rather than an old one run.
     */
    private static Path staged(Path real) throws IOException, InterruptedException {
        String key = Files.isRegularFile(real)
                ? real + ":" + Files.size(real) + ":"
                        + Files.getLastModifiedTime(real).toMillis()
                : real.toString();
        Path copy = STAGE.resolve(Integer.toHexString(key.hashCode()))
                .resolve(real.getFileName().toString());
        if (!Files.exists(copy)) {
            Files.createDirectories(copy.getParent());
            for (Path d = copy.getParent(); d.startsWith(STAGE); d = d.getParent()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            // a part of this JVM's own: test JVMs run side by side (failsafe forkCount) and may stage the same path
            Path part = copy.resolveSibling(
                    copy.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            if (exec(List.of("rm", "-rf", part.toString())).exit() != 0
                    || exec(List.of("cp", "-a", real.toString(), part.toString()))
                                    .exit()
                            != 0
                    || exec(List.of("chmod", "-R", "a+rX", part.toString())).exit() != 0) {
                throw new AssertionError("cannot stage " + real + " for " + NAME + " in " + STAGE);
            }
            try {
                Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException lost) { // another JVM staged it first (a directory is not replaced): take theirs
                if (!Files.exists(copy)) {
                    throw lost;
                }
                exec(List.of("rm", "-rf", part.toString()));
            }
        }
        return copy;
    }

    /** What a short helper command (useradd, chown, rm...) did: its exit code and its output (stdout and stderr). */
    public record Exec(int exit, String output) {}

    /** Runs a short helper command (as this JVM's user), at most 60 s. */
    public static Exec exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
