package io.tlsguard.attach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Who the integration tests run the CLI and its target JVMs as. CI runs as root, which hides every bug about users,
 * so the suite runs twice (two failsafe executions): as the current user, and with {@code -Dtlsguard.it.runAs=USER},
 * every CLI and target JVM through {@code runuser -u USER --}, USER created when missing. The test JVM itself stays
 * root (it starts processes as anyone and reads what they write).
 */
final class ItUser {
    /** The unprivileged user the tests create and use. */
    static final String NAME = "tlsguard-it";
    /** Set by the failsafe execution "unprivileged": every CLI run and target JVM runs as this user. */
    static final String RUN_AS = System.getProperty("tlsguard.it.runAs", "");

    private static final String RUNUSER = "/usr/sbin/runuser";
    /** Where what the user must read is copied when the checkout is closed to it (e.g. a clone under /root). */
    private static final Path STAGE = Path.of("/var/tmp/tlsguard-it-stage-cli");
    private static final Map<Path, Path> READABLE = new HashMap<>();

    private ItUser() {
    }

    static boolean isRoot() {
        return Procs.currentUid() == 0;
    }

    /** Skips a test that needs root and runuser (to start processes as other users). */
    static void assumeRoot() {
        assumeTrue(isRoot() && Files.isExecutable(Path.of(RUNUSER)), "needs root and runuser to run processes as other users");
    }

    /** The prefix that runs a command as the tests' user: empty in the first execution, runuser in the second. */
    static List<String> prefix() {
        if (RUN_AS.isEmpty()) {
            return List.of();
        }
        assumeTrue(isRoot(), "-Dtlsguard.it.runAs needs root; this user (" + Procs.currentUser() + ") already is unprivileged, "
                + "and the first execution ran everything as it");
        return as(RUN_AS);
    }

    /** The prefix that runs a command as {@code user} (created if missing). */
    static List<String> as(String user) {
        ensure(user);
        return List.of(RUNUSER, "-u", user, "--");
    }

    /**
     * Creates the user (with a home directory) unless it exists. Safe when several test JVMs do it at once:
     * useradd locks /etc/passwd and fails with 9 (exists) or 10 (locked) for the one that loses.
     */
    static synchronized void ensure(String user) {
        try {
            for (int attempt = 0; attempt < 50; attempt++) {
                if (run("id", "-u", user) == 0) {
                    return;
                }
                int rc = run("/usr/sbin/useradd", "-m", "-s", "/bin/sh", user);
                if (rc == 0) {
                    return;
                }
                if (rc != 9 && rc != 10) {
                    throw new AssertionError("useradd -m " + user + " failed with exit code " + rc);
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot create user " + user + ": " + e, e);
        }
        throw new AssertionError("user " + user + " could not be created (useradd kept finding /etc/passwd locked)");
    }

    static int uid(String user) throws IOException {
        return Integer.parseInt(passwd(user)[2]);
    }

    /** The user's home directory. */
    static Path home(String user) throws IOException {
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

    /**
     * A path to {@code path} (a jar, a JDK home) that the tests' user can read and run: {@code path} itself when it
     * can (always when this JVM is not root), else a copy in a root-owned, world-readable directory, made once.
     */
    static synchronized Path readable(Path path) {
        if (!isRoot() || !Files.isExecutable(Path.of(RUNUSER))) {
            return path;
        }
        return READABLE.computeIfAbsent(path, p -> {
            try {
                Path real = p.toRealPath();
                String test = Files.isDirectory(real) ? "test -x " + real + "/bin/java" : "test -r " + real;
                List<String> check = new ArrayList<>(as(NAME));
                check.addAll(List.of("/bin/sh", "-c", test));
                if (run(check.toArray(new String[0])) == 0) {
                    return p;
                }
                Path copy = STAGE.resolve(Integer.toHexString(real.toString().hashCode())).resolve(real.getFileName().toString());
                if (!Files.exists(copy)) {
                    Files.createDirectories(copy.getParent());
                    for (Path d = copy.getParent(); d.startsWith(STAGE); d = d.getParent()) {
                        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                    Path part = copy.resolveSibling(copy.getFileName() + ".part");
                    if (run("rm", "-rf", part.toString()) != 0 || run("cp", "-a", real.toString(), part.toString()) != 0
                            || run("chmod", "-R", "a+rX", part.toString()) != 0) {
                        throw new AssertionError("cannot stage " + real + " for " + NAME + " in " + STAGE);
                    }
                    Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE);
                }
                return copy;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot make " + p + " readable for " + NAME + ": " + e, e);
            }
        });
    }

    /** Hands a test directory to the tests' user (in the second execution), so that its CLI and JVMs can work in it. */
    static Path own(Path dir) throws IOException {
        return RUN_AS.isEmpty() || !isRoot() ? dir : chown(dir, RUN_AS);
    }

    static Path chown(Path path, String user) throws IOException {
        ensure(user);
        Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        return path;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
