package io.tlsguard.attach;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.contract.Command;
import io.tlsguard.contract.OptionKey;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.contract.UserOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The picocli command tree: list, attach, status, detach. */
@CommandLine.Command(
        name = "tlsguard-attach",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Finds and fixes legacy TLS (SSLv3, TLSv1, TLSv1.1) in running JVMs (Java 8 to 25) by loading the "
                    + "tlsguard agent this jar carries. Runs on a JDK 11 or newer (it needs the jdk.attach module).",
            ""
        },
        subcommands = {
            Cli.ListJvms.class,
            Cli.Attach.class,
            Cli.Status.class,
            Cli.Detach.class,
            io.tlsguard.inventory.InventoryCommand.class,
            CommandLine.HelpCommand.class
        })
final class Cli implements Runnable {
    static final String NAME = "tlsguard-attach";

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The arguments this CLI was started with, repeated in the "run as that user" suggestion. */
    final List<String> args;

    Cli(List<String> args) {
        this.args = args;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a command is required: list, attach, status or detach");
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Cli(List.of(args)));
        cl.setOut(out);
        cl.setErr(err);
        String exits = String.format(ExitCodes.TABLE);
        cl.getCommandSpec().usageMessage().footer("", exits);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                sub.getCommandSpec().usageMessage().footer("", exits);
            }
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println(NAME + ": error: " + ex.getMessage());
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CliException) {
                CliException e = (CliException) ex;
                err.println(NAME + ": error: " + e.getMessage());
                if (!e.details.isEmpty()) {
                    err.println(e.details);
                }
                err.flush();
                return e.exitCode;
            }
            if (Boolean.getBoolean("tlsguard.debug")) {
                ex.printStackTrace(err);
            }
            err.println(NAME + ": internal error: " + ex.getClass().getName() + ": "
                    + String.valueOf(ex.getMessage()).replace('\n', ' ')
                    + " (rerun with java -Dtlsguard.debug=true -jar ... for the stack trace)");
            err.flush();
            return ExitCodes.INTERNAL;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String cli = cliVersion();
            String agent;
            try {
                agent = AgentJar.embedded().version;
            } catch (CliException e) {
                agent = "none";
            }
            return new String[] {
                NAME + " " + cli + " (embedded agent tlsguard " + agent + ")",
                "running on Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"
            };
        }
    }

    static String cliVersion() {
        Properties p = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream("/io/tlsguard/attach/cli.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // unknown
        }
        return p.getProperty("version", "unknown");
    }

    // ---------------------------------------------------------------------------------------------------------

    @CommandLine.Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = {
                "Lists the JVMs this user can attach to: pid, Java version, whether tlsguard runs in it "
                        + "(and its mode), and main class or jar.",
                "Shows JVMs that publish hsperfdata (the default; not those started with -XX:-UsePerfData, which can still be "
                        + "attached to by pid)."
            })
    static final class ListJvms implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Jvms.Listed> jvms = Jvms.listWithDetails();
            if (jvms.isEmpty()) {
                out.println("no JVMs of user " + Procs.currentUser() + " to attach to");
                return ExitCodes.OK;
            }
            out.println(String.format("%-8s %-12s %-28s %s", "PID", "JAVA", "TLSGUARD", "MAIN"));
            for (Jvms.Listed l : jvms) {
                String tls = l.problem != null ? "? (" + l.problem + ")" : l.tlsguard;
                out.println(String.format("%-8d %-12s %-28s %s", l.pid, l.javaVersion, tls, l.main));
            }
            return ExitCodes.OK;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** What one round trip with the target gave. */
    static final class Outcome {
        Properties props;
        AgentReply reply;
        boolean dynamicLoadWarning;
    }

    static String describeJvm(long pid, Properties p) {
        String main = Jvms.mainOf(p.getProperty("sun.java.command"));
        return "JVM " + pid + " (Java " + p.getProperty("java.version", "?") + ", " + main + ")";
    }

    static void checkReply(long pid, AgentReply reply) {
        if (!reply.ok()) {
            String error = reply.text(ReplyKey.ERROR);
            throw new CliException(
                    ExitCodes.AGENT_FAILED,
                    "tlsguard in JVM " + pid + " refused: " + (error == null ? reply.line : error));
        }
    }

    static void checkSameVersion(long pid, Properties p, String ours) {
        String running = p.getProperty(ReplyKey.VERSION.key());
        if (running != null && !running.equals(ours)) {
            throw new CliException(
                    ExitCodes.OTHER_VERSION,
                    "JVM " + pid + " already runs tlsguard " + running
                            + " and this tlsguard-attach carries " + ours
                            + ": a JVM holds one tlsguard; use the tlsguard-attach " + running
                            + " to reconfigure or detach it, or restart the JVM");
        }
    }

    /**
     * The flags as the agent's options, checked by the contract's one validation (the agent's own messages,
     * after the flag's name).
     */
    static UserOptions options(String mode, String min, String rewrite, String report, String cache, String service) {
        UserOptions options = UserOptions.NONE;
        options = with(options, OptionKey.MODE, mode);
        options = with(options, OptionKey.MIN, min);
        options = with(options, OptionKey.REWRITE, rewrite);
        options = with(options, OptionKey.REPORT, report == null ? null : resolveReport(report));
        options = with(options, OptionKey.CACHE, cache == null ? null : resolveCache(cache));
        return with(options, OptionKey.SERVICE, service);
    }

    private static UserOptions with(UserOptions options, OptionKey key, String value) {
        if (value == null) {
            return options;
        }
        try {
            return options.with(key, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + key.key() + ": " + e.getMessage(), e);
        }
    }

    /** --cache: "off", or a directory resolved here (the target creates it, owner-only). */
    static String resolveCache(String cache) {
        if (cache.equals("off")) {
            return cache;
        }
        return Paths.get(cache).toAbsolutePath().normalize().toString();
    }

    /** A report path as the target must see it: absolute, resolved against the CLI's working directory. */
    static String resolveReport(String report) {
        if (report.equals("stderr")) {
            return report;
        }
        Path p = Paths.get(report).toAbsolutePath().normalize();
        Path parent = p.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--report: directory " + parent + " does not exist");
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException("--report: " + p + " is a directory; give a file path");
        }
        return p.toString();
    }

    abstract static class TargetCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        Cli parent;

        @Parameters(
                index = "0",
                arity = "0..1", // attach --all takes none; attachablePid() requires one otherwise
                paramLabel = "<pid|part-of-main-class>",
                description =
                        "the JVM: its process id, or a part of its main class or jar name that matches exactly one JVM")
        String target;

        /** The target's pid, once it is checked to be a JVM of this user that may be attached to. */
        long attachablePid() {
            if (target == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "a JVM is required: its pid or a part of its main class or jar name");
            }
            long pid = Jvms.resolve(target);
            Jvms.checkAttachable(pid, parent.args);
            return pid;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @CommandLine.Command(
            name = "attach",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = {
                "Loads tlsguard into a running JVM, with the options of -javaagent. Attaching to a JVM that already "
                        + "runs this tlsguard reconfigures it (one set of hooks; the new options in force; options not given keep their current values).",
                "JDK 21+ targets print a warning about a dynamically loaded agent on their stderr at the first attach "
                        + "unless started with -XX:+EnableDynamicAgentLoading; the attach works either way. Reconfiguring, "
                        + "status and detach use tlsguard's MBean through the JVM's local management agent: no agent load."
            })
    static final class Attach extends TargetCommand {
        @Option(
                names = "--mode",
                paramLabel = "report|enforce|deny",
                description =
                        "report: only report legacy TLS; enforce: raise new connections to the floor; deny: fail them")
        String mode;

        @Option(names = "--min", paramLabel = "TLSv1.2|TLSv1.3", description = "the protocol floor")
        String min;

        @Option(
                names = "--rewrite",
                paramLabel = "floor|floor-and-above",
                description = "what enforce makes of a pin of legacy protocols only: the floor itself (default), "
                        + "or the floor and every version above it")
        String rewrite;

        @Option(
                names = "--report",
                paramLabel = "PATH",
                description = "the JSON-lines report file, written by the target (a relative path is resolved here, "
                        + "against this command's working directory)")
        String report;

        @Option(
                names = "--cache",
                paramLabel = "DIR|off",
                description =
                        "where the target keeps the JDK classes tlsguard wove, or off (default: the target user's "
                                + "~/.cache/tlsguard); read at the first attach only")
        String cache;

        @Option(
                names = "--service",
                paramLabel = "NAME",
                description =
                        "the service.name on every report line (default: OTEL_SERVICE_NAME, service.name in "
                                + "OTEL_RESOURCE_ATTRIBUTES, else the target's main class or jar); read at the first attach only")
        String service;

        @Option(
                names = "--all",
                description =
                        "attach to every JVM of this user that list shows (not this CLI, not the JDK's tools, not "
                                + "JVMs already running tlsguard: reconfigure those one by one), "
                                + "with these options; prints a line per JVM; exits non-zero when any failed")
        boolean all;

        @Override
        public Integer call() {
            UserOptions given;
            try {
                given = options(mode, min, rewrite, report, cache, service);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (all) {
                if (target != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "give a JVM or --all, not both");
                }
                return AttachAll.run(given, out(), err());
            }
            long pid = attachablePid();
            Attached a = attachTo(pid, given, AgentJar.embedded());
            out().println(a.line);
            if (a.note != null) {
                err().println(a.note);
            }
            return ExitCodes.OK;
        }
    }

    /** What one attach did: the line that says it, and a note for stderr (or null). */
    static final class Attached {
        final boolean reconfigured;
        final String line;
        final String note;

        Attached(boolean reconfigured, String line, String note) {
            this.reconfigured = reconfigured;
            this.line = line;
            this.note = note;
        }
    }

    /** Attaches to (or reconfigures) one JVM already checked with {@link Jvms#checkAttachable}; throws CliException. */
    static Attached attachTo(long pid, UserOptions given, AgentJar agent) {
        Path jar = agent.extract();
        long start = System.nanoTime();
        Outcome o = Jvms.withVm(
                pid,
                vm -> {
                    Outcome r = new Outcome();
                    r.props = vm.getSystemProperties();
                    int feature = Jvms.feature(r.props.getProperty("java.specification.version"));
                    if (feature < 8) {
                        throw new CliException(
                                ExitCodes.NOT_ATTACHABLE,
                                describeJvm(pid, r.props) + " is older than Java 8, which tlsguard needs");
                    }
                    checkSameVersion(pid, r.props, agent.version);
                    UserOptions options = carryOver(given, r.props);
                    Optional<AgentReply> viaJmx =
                            AgentJmx.send(vm, pid, agent.version, r.props, Command.ATTACH, options);
                    if (viaJmx.isPresent()) { // loads no agent: no new warning on the target's stderr
                        r.reply = viaJmx.get();
                        return r;
                    }
                    if (feature >= 21) {
                        // JDK 21+: allowed by default but with a warning on the target's stderr, unless set
                        // explicitly
                        Optional<Jvms.Flag> flag = Jvms.vmFlag(vm, pid, "EnableDynamicAgentLoading");
                        if (flag.isPresent() && !flag.get().value) {
                            throw new CliException(
                                    ExitCodes.NOT_ATTACHABLE,
                                    describeJvm(pid, r.props) + " was started with "
                                            + "-XX:-EnableDynamicAgentLoading and accepts no agent while it runs: restart it without that flag, "
                                            + "or with -javaagent:<tlsguard.jar> (see docs/attach.md)");
                        }
                        r.dynamicLoadWarning = !flag.map(f -> f.explicit).orElse(false);
                    }
                    r.reply = Jvms.runAgent(vm, pid, jar, Command.ATTACH, options);
                    return r;
                },
                Jvms.TIMEOUT_MS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        checkReply(pid, o.reply);
        String before = o.props.getProperty(ReplyKey.MODE.key());
        String what = before == null
                ? "attached tlsguard " + agent.version + " to "
                : "reconfigured tlsguard " + agent.version + " in ";
        String line = what + describeJvm(pid, o.props) + " in " + ms + " ms: " + settings(o.reply)
                + (before == null
                        ? ""
                        : " (was mode=" + before + " min=" + o.props.getProperty(ReplyKey.MIN.key(), "?") + ")");
        String note = !o.dynamicLoadWarning
                ? null
                : "note: JVM " + pid + " (Java " + o.props.getProperty("java.version")
                        + ") printed \"WARNING: A Java agent has been loaded dynamically\" on its own stderr: JDK 21+ does that "
                        + "when an agent is loaded, unless started with -XX:+EnableDynamicAgentLoading; status, reconfigure "
                        + "and detach go through the JVM's management agent and load none (harmless; see docs/attach.md)";
        return new Attached(before != null, line, note);
    }

    /**
     * Reconfiguring keeps what the user does not change: an option not given is taken from the running tlsguard
     * (the agent itself would fall back to its defaults: report mode, TLSv1.2, the default report file).
     */
    static UserOptions carryOver(UserOptions options, Properties running) {
        if (running.getProperty(ReplyKey.VERSION.key()) == null) {
            return options;
        }
        UserOptions carried = options;
        for (OptionKey key : CARRIED_OVER.keySet()) {
            String current = running.getProperty(CARRIED_OVER.get(key).key());
            if (options.given(key) == null && current != null) {
                try {
                    carried = carried.with(key, current);
                } catch (IllegalArgumentException notAnOption) {
                    // not what this tlsguard would publish: left to the agent's default
                }
            }
        }
        return carried;
    }

    /** The options a reconfiguration keeps, and the published property (and reply key) that says each. */
    private static final Map<OptionKey, ReplyKey> CARRIED_OVER = new EnumMap<>(Map.of(
            OptionKey.MODE, ReplyKey.MODE,
            OptionKey.MIN, ReplyKey.MIN,
            OptionKey.REWRITE, ReplyKey.REWRITE,
            OptionKey.REPORT, ReplyKey.REPORT));

    /** "mode=enforce min=TLSv1.2 report=/x", what an attach says it put in force. */
    static String settings(AgentReply reply) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<OptionKey, ReplyKey> k : CARRIED_OVER.entrySet()) {
            String v = reply.text(k.getValue());
            if (v != null) {
                b.append(b.length() == 0 ? "" : " ")
                        .append(k.getKey().key())
                        .append('=')
                        .append(v);
            }
        }
        return b.toString();
    }

    @CommandLine.Command(
            name = "status",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description =
                    "Shows tlsguard's state in a JVM: mode, floor, report path and counters (handshakes by protocol, "
                            + "pins, dropped events).")
    static final class Status extends TargetCommand {
        @Option(names = "--json", description = "print the agent's reply as one line of JSON")
        boolean json;

        @Override
        public Integer call() {
            long pid = attachablePid();
            AgentJar agent = AgentJar.embedded();
            Outcome o = Jvms.withVm(
                    pid,
                    vm -> {
                        Outcome r = new Outcome();
                        r.props = vm.getSystemProperties();
                        if (r.props.getProperty(ReplyKey.VERSION.key()) == null) {
                            throw new CliException(
                                    ExitCodes.NOT_RUNNING, "tlsguard is not running in " + describeJvm(pid, r.props));
                        }
                        checkSameVersion(pid, r.props, agent.version);
                        r.reply = AgentJmx.ask(vm, pid, agent, r.props, Command.STATUS);
                        return r;
                    },
                    Jvms.TIMEOUT_MS);
            checkReply(pid, o.reply);
            if (json) {
                out().println(o.reply.line); // exactly what the agent wrote
                return ExitCodes.OK;
            }
            String version = o.reply.text(ReplyKey.VERSION);
            out().println(describeJvm(pid, o.props) + ": tlsguard " + (version == null ? agent.version : version));
            for (Iterator<Map.Entry<String, JsonNode>> i = o.reply.fields(); i.hasNext(); ) {
                Map.Entry<String, JsonNode> e = i.next();
                if (!e.getKey().equals(ReplyKey.OK.key()) && !e.getKey().equals(ReplyKey.VERSION.key())) {
                    out().println(String.format("  %-34s %s", e.getKey(), AgentReply.plain(e.getValue())));
                }
            }
            return ExitCodes.OK;
        }
    }

    @CommandLine.Command(
            name = "detach",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description =
                    "Removes tlsguard from a JVM: restores the original bytecode of everything it transformed and stops "
                            + "reporting; new connections behave as if tlsguard had never been there.")
    static final class Detach extends TargetCommand {
        @Override
        public Integer call() {
            long pid = attachablePid();
            AgentJar agent = AgentJar.embedded();
            Outcome o = Jvms.withVm(
                    pid,
                    vm -> {
                        Outcome r = new Outcome();
                        r.props = vm.getSystemProperties();
                        if (r.props.getProperty(ReplyKey.VERSION.key()) == null) {
                            return r;
                        }
                        checkSameVersion(pid, r.props, agent.version);
                        r.reply = AgentJmx.ask(vm, pid, agent, r.props, Command.DETACH);
                        return r;
                    },
                    Jvms.TIMEOUT_MS);
            if (o.reply == null) {
                out().println("tlsguard is not running in " + describeJvm(pid, o.props) + ": nothing to detach");
                return ExitCodes.OK;
            }
            checkReply(pid, o.reply);
            out().println("detached tlsguard from " + describeJvm(pid, o.props)
                    + ": original bytecode restored, reporting stopped");
            return ExitCodes.OK;
        }
    }
}
