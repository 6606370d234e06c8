package io.tlsguard.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.tlsguard.contract.AttachRequest;
import io.tlsguard.contract.Command;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.contract.UserOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Everything that uses jdk.attach. Loaded only after Main made sure that module is there. */
final class Jvms {
    /** How long one attach (connect + one command) may take before the CLI gives up on the target. */
    static final long TIMEOUT_MS = Long.getLong("tlsguard.attach.timeoutMs", 30_000);

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tlsguard-attach");
        t.setDaemon(true);
        return t;
    });

    static {
        // jdk.attach gives up connecting after this long and removes its .attach_pid file; the CLI waits longer
        if (System.getProperty("sun.tools.attach.attachTimeout") == null) {
            System.setProperty("sun.tools.attach.attachTimeout", "5000");
        }
    }

    private Jvms() {}

    /** A JVM this user can attach to, as listed. */
    static final class Listed {
        final long pid;
        final String main;
        String javaVersion = "?";
        String tlsguard = "-";
        String problem;

        Listed(long pid, String main) {
            this.pid = pid;
            this.main = main;
        }
    }

    static String mainOf(String displayName) {
        String d = displayName == null ? "" : displayName.trim();
        int space = d.indexOf(' ');
        String first = space < 0 ? d : d.substring(0, space);
        return first.isEmpty() ? "?" : first;
    }

    /** The JVMs of this user that announce themselves (hsperfdata), without this CLI's own. */
    static List<Listed> discover() {
        long self = ProcessHandle.current().pid();
        int uid = Procs.currentUid();
        List<Listed> out = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self || !Procs.exists(pid)) {
                continue;
            }
            Optional<Integer> owner = Procs.uid(pid);
            if (uid >= 0 && owner.isPresent() && owner.get() != uid) {
                continue; // root sees everyone's hsperfdata, but attaches only as the JVM's own user
            }
            out.add(new Listed(pid, mainOf(d.displayName())));
        }
        out.sort(Comparator.comparingLong(l -> l.pid));
        return out;
    }

    /** discover(), then asks each JVM (in parallel) for its Java version and tlsguard state. */
    static List<Listed> listWithDetails() {
        List<Listed> jvms = discover();
        List<Future<?>> asks = new ArrayList<>();
        for (Listed l : jvms) {
            asks.add(POOL.submit(() -> {
                try {
                    Optional<Boolean> jvm = Procs.isJvm(l.pid);
                    if (jvm.isPresent() && !jvm.get()) {
                        l.problem = "not a JVM any more";
                        return;
                    }
                    if (!Procs.attachSafe(l.pid).orElse(true)) {
                        l.problem = "not attachable yet: starting";
                        return;
                    }
                    Properties p = withVm(l.pid, VirtualMachine::getSystemProperties, 8_000);
                    l.javaVersion = p.getProperty("java.version", "?");
                    String v = p.getProperty(ReplyKey.VERSION.key());
                    if (v != null) {
                        l.tlsguard = p.getProperty(ReplyKey.MODE.key(), "?") + " (" + v + ")";
                    }
                } catch (CliException e) {
                    l.problem = e.getMessage();
                }
            }));
        }
        for (Future<?> f : asks) {
            try {
                f.get(9, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                // that line keeps "?"
            }
        }
        return jvms;
    }

    /** The candidate list printed after "no such process" and "no/several JVMs match". */
    static String candidates() {
        List<Listed> jvms = discover();
        if (jvms.isEmpty()) {
            return "no JVMs of user " + Procs.currentUser() + " to attach to";
        }
        return "JVMs of user " + Procs.currentUser() + ":\n"
                + jvms.stream()
                        .map(l -> String.format("  %-8d %s", l.pid, l.main))
                        .collect(Collectors.joining("\n"));
    }

    /** Resolves PID or a part of a main class / jar name to one process id. */
    static long resolve(String spec) {
        if (spec.matches("\\d+")) {
            long pid = parsePid(spec);
            if (!Procs.exists(pid)) {
                throw new CliException(ExitCodes.NO_SUCH_TARGET, "no such process: " + pid, candidates());
            }
            return pid;
        }
        List<Listed> matches =
                discover().stream().filter(l -> l.main.contains(spec)).collect(Collectors.toList());
        if (matches.isEmpty()) {
            throw new CliException(
                    ExitCodes.NO_SUCH_TARGET, "no JVM whose main class or jar contains '" + spec + "'", candidates());
        }
        if (matches.size() > 1) {
            throw new CliException(
                    ExitCodes.NO_SUCH_TARGET,
                    matches.size() + " JVMs match '" + spec + "': give a pid",
                    matches.stream()
                            .map(l -> String.format("  %-8d %s", l.pid, l.main))
                            .collect(Collectors.joining("\n")));
        }
        return matches.get(0).pid;
    }

    /** A process id is a positive pid_t (a 32-bit int); any other number is a usage error, not a missing process. */
    static long parsePid(String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        if (d.length() > 10 || Long.parseLong(d) < 1 || Long.parseLong(d) > Integer.MAX_VALUE) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "'" + digits + "' is not a process id (a pid is a number from 1 to " + Integer.MAX_VALUE + ")");
        }
        return Long.parseLong(d);
    }

    /** The checks made before any attach: the process is this user's and is a JVM (never SIGQUIT anything else). */
    static void checkAttachable(long pid, List<String> cliArgs) {
        if (!Procs.exists(pid)) {
            throw new CliException(ExitCodes.NO_SUCH_TARGET, "no such process: " + pid, candidates());
        }
        Optional<Integer> owner = Procs.uid(pid);
        int me = Procs.currentUid();
        if (owner.isPresent() && me >= 0 && owner.get() != me) {
            int uid = owner.get();
            String name = Procs.userName(uid);
            // sudo takes "#UID" for a user without a name
            String sudoUser = name.equals("uid " + uid) ? "'#" + uid + "'" : shellQuote(name);
            throw new CliException(
                    ExitCodes.OTHER_USER,
                    "process " + pid + " runs as user " + Procs.describeUser(uid)
                            + ", you are " + Procs.describeUser(me)
                            + ": a JVM accepts agents only from its own user; run as that user: "
                            + "sudo -u " + sudoUser + " " + selfCommand()
                            + cliArgs.stream()
                                    .map(Jvms::shellQuote)
                                    .map(a -> " " + a)
                                    .collect(Collectors.joining()));
        }
        Optional<Boolean> jvm = Procs.isJvm(pid);
        if (jvm.isPresent() && !jvm.get()) {
            throw new CliException(
                    ExitCodes.NOT_ATTACHABLE,
                    "process " + pid + " (" + Procs.command(pid) + ") is not a Java virtual machine");
        }
        if (Procs.xxFlag(pid, "DisableAttachMechanism").orElse(false)) {
            throw disabled(pid);
        }
        if (!Procs.attachSafe(pid).orElse(true)) {
            throw new CliException(
                    ExitCodes.NOT_ATTACHABLE,
                    "JVM " + pid + " does not handle SIGQUIT, which starts its attach "
                            + "listener: it is still starting (try again in a moment), or something replaced the JVM's signal handling "
                            + "(then restart it with -XX:+StartAttachListener, or with -javaagent:<tlsguard.jar>)");
        }
    }

    private static CliException disabled(long pid) {
        return new CliException(
                ExitCodes.NOT_ATTACHABLE,
                "JVM " + pid + " was started with -XX:+DisableAttachMechanism and accepts no agent "
                        + "while it runs: restart it without that flag, or with -javaagent:"
                        + "<tlsguard.jar> (see docs/attach.md)");
    }

    /** A word as a POSIX shell reads it back unchanged. */
    static String shellQuote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** "java -jar /path/tlsguard-attach.jar" as this CLI was started, for messages (shell-quoted). */
    static String selfCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = "tlsguard-attach.jar";
        try {
            Path p = Path.of(Jvms.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(p)) {
                jar = p.toString();
            }
        } catch (Exception ignored) {
            // keep the short name
        }
        return shellQuote(java) + " -jar " + shellQuote(jar);
    }

    interface VmCall<T> {
        T call(VirtualMachine vm) throws Exception;
    }

    /** Attaches, runs one call, detaches; every failure becomes a one-line CliException. */
    static <T> T withVm(long pid, VmCall<T> call, long timeoutMs) {
        Callable<T> task = () -> {
            long t0 = System.nanoTime();
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            debug("attach " + pid + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            try {
                return call.call(vm);
            } finally {
                try {
                    vm.detach();
                } catch (IOException ignored) {
                    // the connection is gone anyway
                }
            }
        };
        Future<T> f = POOL.submit(task);
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CliException(
                    ExitCodes.NOT_ATTACHABLE,
                    "JVM " + pid + " did not answer within " + timeoutMs + " ms (is it suspended or overloaded?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERNAL, "interrupted");
        } catch (ExecutionException e) {
            throw describe(pid, e.getCause());
        }
    }

    static CliException describe(long pid, Throwable t) {
        if (t instanceof CliException) {
            return (CliException) t;
        }
        String msg = String.valueOf(t.getMessage()).replace('\n', ' ').trim();
        if (t instanceof AttachNotSupportedException) {
            if (msg.contains("does not support the attach mechanism")) {
                return disabled(pid);
            }
            return new CliException(ExitCodes.NOT_ATTACHABLE, "cannot attach to JVM " + pid + ": " + msg);
        }
        if (t instanceof AgentLoadException) {
            return new CliException(ExitCodes.AGENT_FAILED, "JVM " + pid + " could not load the agent: " + msg);
        }
        if (t instanceof AgentInitializationException) {
            return new CliException(
                    ExitCodes.AGENT_FAILED,
                    "the agent failed to start in JVM " + pid + " (return code "
                            + ((AgentInitializationException) t).returnValue()
                            + "; its stack trace is on that JVM's stderr)");
        }
        if (t instanceof IOException) {
            return new CliException(
                    ExitCodes.NOT_ATTACHABLE,
                    "lost the connection to JVM " + pid + ": " + t.getClass().getSimpleName() + ": " + msg);
        }
        return new CliException(ExitCodes.INTERNAL, "unexpected " + t.getClass().getName() + ": " + msg);
    }

    /** The largest reply the CLI reads: a status line is well under 4 KiB. */
    private static final int MAX_REPLY = 64 * 1024;

    /**
     * Loads the agent with one {@link AttachRequest} and returns the agent's one-line JSON reply. The reply path is a
     * new name in a fresh directory (rwx------) inside the user's private directory that holds the agent jar; the
     * agent creates the file. A JDK 8 target answers a successful load with "0" where newer clients expect
     * "return code: 0", which they turn into AgentLoadException("0"): that is success, and the reply file is what
     * counts anyway.
     */
    static AgentReply runAgent(VirtualMachine vm, long pid, Path agentJar, Command command, UserOptions options)
            throws Exception {
        Path dir = Files.createTempDirectory(agentJar.getParent(), "reply-");
        try {
            Path reply = dir.resolve("reply.json");
            AttachRequest request = AttachRequest.of(command, reply, options);
            Throwable loadError = null;
            long t0 = System.nanoTime();
            try {
                vm.loadAgent(agentJar.toString(), request.encode());
            } catch (AgentLoadException e) {
                if (!"0".equals(e.getMessage())) {
                    loadError = e;
                }
            } catch (AgentInitializationException e) {
                loadError = e;
            } finally {
                debug("loadAgent " + pid + " (" + request.encode() + "): " + (System.nanoTime() - t0) / 1_000_000
                        + " ms");
            }
            Optional<String> line = readReply(pid, reply);
            if (line.isPresent()) {
                try {
                    return AgentReply.parse(line.get());
                } catch (IllegalArgumentException e) {
                    throw new CliException(
                            ExitCodes.AGENT_FAILED,
                            "the agent in JVM " + pid + " answered something unreadable: " + line.get());
                }
            }
            if (loadError != null) {
                throw describe(pid, loadError);
            }
            throw new CliException(
                    ExitCodes.AGENT_FAILED, "the agent in JVM " + pid + " wrote no reply (see that JVM's stderr)");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p); // unlinks a link itself, never its target
                }
            } catch (IOException ignored) {
                // best effort
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The agent's reply, read without following links and only from a regular file of this user (the target runs as
     * the same user); empty when there is none. Anything else there is refused, never read.
     */
    static Optional<String> readReply(long pid, Path reply) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(reply, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int owner = (Integer) Files.getAttribute(reply, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || owner != Procs.currentUid()) {
            throw new CliException(
                    ExitCodes.AGENT_FAILED,
                    "the reply of JVM " + pid + " at " + reply + " is not a regular file of yours ("
                            + (a.isSymbolicLink()
                                    ? "a symbolic link"
                                    : a.isRegularFile() ? "owned by " + Procs.describeUser(owner) : "not a file")
                            + "): not read");
        }
        if (a.size() > MAX_REPLY) {
            throw new CliException(
                    ExitCodes.AGENT_FAILED,
                    "the reply of JVM " + pid + " is " + a.size() + " bytes, more than a reply can be");
        }
        try (InputStream in = Files.newInputStream(reply, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readNBytes(MAX_REPLY), StandardCharsets.UTF_8).trim());
        }
    }

    /** A boolean VM flag of a live JVM: its value, and whether it was set explicitly (command line, environment...). */
    static final class Flag {
        final boolean value;
        final boolean explicit;

        Flag(boolean value, boolean explicit) {
            this.value = value;
            this.explicit = explicit;
        }
    }

    /**
     * Reads a boolean flag through jdk.attach's HotSpot API (jcmd {@code VM.flags}, which lists only the flags set
     * explicitly or ergonomically; the jar's manifest exports sun.tools.attach to the CLI), else from the process's
     * command line and environment. Empty when the flag was not set explicitly.
     */
    static Optional<Flag> vmFlag(VirtualMachine vm, long pid, String flag) {
        try {
            Method m = vm.getClass().getMethod("executeJCmd", String.class);
            try (InputStream in = (InputStream) m.invoke(vm, "VM.flags")) {
                String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String w : flags.split("\\s+")) {
                    if (w.equals("-XX:+" + flag) || w.equals("-XX:-" + flag)) {
                        return Optional.of(new Flag(w.startsWith("-XX:+"), true));
                    }
                }
                return Optional.empty();
            }
        } catch (Throwable e) {
            debug("VM.flags: " + e);
        }
        return Procs.xxFlag(pid, flag).map(v -> new Flag(v, true));
    }

    static void debug(String line) {
        if (Boolean.getBoolean("tlsguard.debug")) {
            System.err.println("tlsguard-attach: debug: " + line);
        }
    }

    static int feature(String javaSpecVersion) {
        String v = javaSpecVersion == null ? "0" : javaSpecVersion;
        if (v.startsWith("1.")) {
            v = v.substring(2);
        }
        try {
            return Integer.parseInt(v.split("[^0-9]")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
