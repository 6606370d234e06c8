package io.tlsguard.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the OS says about a process (Linux /proc, with portable fallbacks). Uses nothing from jdk.attach. */
final class Procs {
    private static final Path PROC = Paths.get("/proc");

    private Procs() {}

    static boolean hasProc() {
        return Files.isDirectory(PROC.resolve("self"));
    }

    static boolean exists(long pid) {
        if (hasProc()) {
            return Files.isDirectory(PROC.resolve(Long.toString(pid)));
        }
        return ProcessHandle.of(pid).isPresent();
    }

    /**
     * The effective user id of this CLI: what the kernel checks, and what the files it creates belong to. From
     * /proc/self/status (the owner of the /proc/self link itself is always root), else the owner of a file this
     * process creates; -1 when neither works.
     */
    static int currentUid() {
        Optional<Integer> uid = uid(PROC.resolve("self"));
        if (uid.isPresent()) {
            return uid.get();
        }
        try {
            Path probe = Files.createTempFile("tlsguard-uid-", ".tmp");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The name of this CLI's (effective) user, for messages. */
    static String currentUser() {
        return userName(currentUid());
    }

    /**
     * A user's name for messages (never for a decision: those compare uids): the /etc/passwd entry of the uid,
     * else, for this CLI's own uid, user.name; else "uid N".
     */
    static String userName(int uid) {
        try {
            for (String line : Files.readAllLines(Paths.get("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(Integer.toString(uid)) && !f[0].isEmpty()) {
                    return f[0];
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no passwd file: fall through
        }
        if (uid >= 0 && uid == uid(PROC.resolve("self")).orElse(-2)) {
            String name = System.getProperty("user.name");
            if (name != null && !name.isEmpty() && !name.equals("?")) {
                return name;
            }
        }
        return "uid " + uid;
    }

    /** "'billing' (uid 1001)": a user as messages name it. */
    static String describeUser(int uid) {
        String name = userName(uid);
        return name.equals("uid " + uid) ? name : "'" + name + "' (uid " + uid + ")";
    }

    /** The effective user id of a process, when the OS tells. */
    static Optional<Integer> uid(long pid) {
        return hasProc() ? uid(PROC.resolve(Long.toString(pid))) : Optional.empty();
    }

    private static Optional<Integer> uid(Path procDir) {
        try {
            // /proc/PID/status "Uid: real effective saved fs"
            for (String line : Files.readAllLines(procDir.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Integer.parseInt(line.substring(4).trim().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return Optional.empty();
    }

    /** The short command name (e.g. "sleep"). */
    static String command(long pid) {
        try {
            return new String(Files.readAllBytes(PROC.resolve(pid + "/comm")), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("?");
        }
    }

    /**
     * Whether the process is a HotSpot JVM: it has libjvm mapped. Empty when that cannot be read (not Linux, or
     * no permission). Checked before any attach: the attach handshake sends SIGQUIT, which kills most other programs.
     */
    static Optional<Boolean> isJvm(long pid) {
        if (!hasProc()) {
            return Optional.empty();
        }
        try (java.util.stream.Stream<String> lines =
                Files.lines(PROC.resolve(pid + "/maps"), StandardCharsets.ISO_8859_1)) {
            return Optional.of(lines.anyMatch(l -> l.endsWith("/libjvm.so") || l.contains("/libjvm.so ")));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether an attach may safely start: the JVM's attach listener already runs (its socket exists), or the process
     * handles SIGQUIT, which the attach handshake sends to start the listener. A JVM still starting up (listed
     * in hsperfdata before it installs its signal handlers) would be killed by that signal (JDK 25's jdk.attach checks this itself; JDK 11 and 17 do not).
     * Empty when that cannot be read.
     */
    static Optional<Boolean> attachSafe(long pid) {
        if (!hasProc()) {
            return Optional.empty();
        }
        try {
            String nsPid = Long.toString(pid);
            long caught = -1;
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("NSpid:")) {
                    String[] w = line.substring(6).trim().split("\\s+");
                    nsPid = w[w.length - 1];
                } else if (line.startsWith("SigCgt:")) {
                    caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            if (Files.exists(PROC.resolve(pid + "/root/tmp/.java_pid" + nsPid))) {
                return Optional.of(true);
            }
            return caught < 0 ? Optional.empty() : Optional.of((caught & (1L << (3 - 1))) != 0);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The command line words of a process (empty when unreadable). */
    static List<String> cmdline(long pid) {
        return nulSeparated(PROC.resolve(pid + "/cmdline"));
    }

    /** The environment of a process, as NAME=value strings (empty when unreadable). */
    static List<String> environ(long pid) {
        return nulSeparated(PROC.resolve(pid + "/environ"));
    }

    private static List<String> nulSeparated(Path file) {
        List<String> out = new ArrayList<>();
        try {
            for (String s : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unreadable
        }
        return out;
    }

    /**
     * The last setting of a boolean -XX flag the JVM was started with (command line, JAVA_TOOL_OPTIONS,
     * JDK_JAVA_OPTIONS, _JAVA_OPTIONS), or empty when it was not set there.
     */
    static Optional<Boolean> xxFlag(long pid, String flag) {
        List<String> words = new ArrayList<>();
        for (String env : environ(pid)) {
            for (String var : new String[] {"JAVA_TOOL_OPTIONS=", "JDK_JAVA_OPTIONS="}) {
                if (env.startsWith(var)) {
                    words.addAll(List.of(env.substring(var.length()).trim().split("\\s+")));
                }
            }
        }
        words.addAll(cmdline(pid));
        for (String env : environ(pid)) {
            if (env.startsWith("_JAVA_OPTIONS=")) {
                words.addAll(
                        List.of(env.substring("_JAVA_OPTIONS=".length()).trim().split("\\s+")));
            }
        }
        Optional<Boolean> value = Optional.empty();
        for (String w : words) {
            if (w.equals("-XX:+" + flag)) {
                value = Optional.of(true);
            } else if (w.equals("-XX:-" + flag)) {
                value = Optional.of(false);
            }
        }
        return value;
    }
}
