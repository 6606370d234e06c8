package io.tlsguard.attach;

import com.sun.tools.attach.VirtualMachine;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.contract.UserOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;

/**
 * {@code attach --all}: attaches to every JVM of this user that {@code list} shows, one after the other, with the same
 * options. Skips this CLI itself (and any other tlsguard-attach), the JDK's own tools (jcmd, jps, jshell...) and JVMs
 * already running tlsguard (any version): a rollout re-run on a host must not switch the JVMs it already covers to
 * other options; reconfiguring one is {@code attach PID}, on purpose. Whether tlsguard runs is read from the system
 * properties the agent publishes, which the attach API gives without loading anything into the JVM. One line per JVM,
 * then a count; the exit code is the first failure's (0 when none failed; a skipped JVM is not a failure).
 */
final class AttachAll {
    private AttachAll() {}

    static int run(UserOptions given, PrintWriter out, PrintWriter err) {
        List<Jvms.Listed> jvms = Jvms.discover();
        if (jvms.isEmpty()) {
            out.println("no JVMs of user " + Procs.currentUser() + " to attach to");
            return ExitCodes.OK;
        }
        AgentJar agent = AgentJar.embedded();
        int attached = 0;
        int running = 0;
        int skipped = 0;
        int failed = 0;
        int exit = ExitCodes.OK;
        out.println(String.format("%-8s %-13s %s", "PID", "OUTCOME", "DETAIL"));
        for (Jvms.Listed jvm : jvms) {
            String tool = skipReason(jvm.main);
            if (tool != null) {
                skipped++;
                out.println(row(jvm.pid, "skipped", tool + ": " + jvm.main));
                continue;
            }
            try {
                Jvms.checkAttachable(jvm.pid, List.of());
                Properties props = Jvms.withVm(jvm.pid, VirtualMachine::getSystemProperties, Jvms.TIMEOUT_MS);
                String tlsguard = alreadyRunning(props);
                if (tlsguard != null) {
                    running++;
                    out.println(row(jvm.pid, "skipped", tlsguard + ", skipped: " + jvm.main));
                    out.flush();
                    continue;
                }
                Cli.Attached a = Cli.attachTo(jvm.pid, given, agent);
                attached++;
                out.println(row(jvm.pid, a.reconfigured ? "reconfigured" : "attached", a.line));
                if (a.note != null) {
                    err.println(a.note);
                }
            } catch (CliException e) {
                failed++;
                if (exit == ExitCodes.OK) {
                    exit = e.exitCode;
                }
                out.println(row(jvm.pid, "failed", e.getMessage() + " (" + jvm.main + ")"));
            }
            out.flush();
        }
        out.println(jvms.size() + " JVM(s): " + attached + " attached, " + running + " already running tlsguard, "
                + failed + " failed, " + skipped + " skipped");
        return exit;
    }

    private static String row(long pid, String outcome, String detail) {
        return String.format("%-8d %-13s %s", pid, outcome, detail.replace('\n', ' '));
    }

    /**
     * "already running tlsguard 0.2.0 (mode report)" when the JVM's published properties say tlsguard runs in it, else
     * null.
     */
    static String alreadyRunning(Properties props) {
        String version = props.getProperty(ReplyKey.VERSION.key());
        if (version == null) {
            return null;
        }
        return "already running tlsguard " + version + " (mode " + props.getProperty(ReplyKey.MODE.key(), "?") + ")";
    }

    /** Why a JVM is not attached to by --all, or null: the JDK's tools and tlsguard-attach itself. */
    static String skipReason(String main) {
        if (main.endsWith("tlsguard-attach.jar") || main.startsWith("io.tlsguard.attach.")) {
            return "tlsguard-attach";
        }
        int slash = main.indexOf('/');
        String module = slash < 0 ? "" : main.substring(0, slash);
        String cls = slash < 0 ? main : main.substring(slash + 1);
        if (module.startsWith("jdk.") || module.startsWith("java.")) {
            return "a JDK tool";
        }
        if (cls.startsWith("sun.tools.") || cls.startsWith("com.sun.tools.") || cls.startsWith("jdk.internal.")) {
            return "a JDK tool"; // Java 8 tools have no module
        }
        return null;
    }
}
