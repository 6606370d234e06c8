package io.tlsguard.attach;

import io.tlsguard.contract.UserOptions;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code attach --all}: attaches to every JVM of this user that {@code list} shows, one after the other, with the same
 * options; a JVM that already runs this tlsguard is reconfigured. Skips this CLI itself (and any other
 * tlsguard-attach) and the JDK's own tools (jcmd, jps, jshell...). One line per JVM, then a count; the exit code is
 * the first failure's (0 when none failed).
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
        int reconfigured = 0;
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
                Cli.Attached a = Cli.attachTo(jvm.pid, given, agent);
                if (a.reconfigured) {
                    reconfigured++;
                } else {
                    attached++;
                }
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
        out.println(jvms.size() + " JVM(s): " + attached + " attached, " + reconfigured + " reconfigured, " + failed
                + " failed, " + skipped + " skipped");
        return exit;
    }

    private static String row(long pid, String outcome, String detail) {
        return String.format("%-8d %-13s %s", pid, outcome, detail.replace('\n', ' '));
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
