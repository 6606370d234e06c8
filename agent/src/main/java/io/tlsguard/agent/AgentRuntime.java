package io.tlsguard.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsguard.agent.export.OtlpEndpoint;
import io.tlsguard.agent.export.OtlpExporter;
import io.tlsguard.agent.hooks.Guard;
import io.tlsguard.agent.hooks.OwnThreads;
import io.tlsguard.agent.hooks.PrivilegedHandler;
import io.tlsguard.agent.jmx.AgentControl;
import io.tlsguard.agent.jmx.JmxRegistration;
import io.tlsguard.agent.policy.ProtocolPolicy;
import io.tlsguard.agent.report.Event;
import io.tlsguard.agent.report.ReportLocation;
import io.tlsguard.agent.report.ReportWriter;
import io.tlsguard.agent.report.Resource;
import io.tlsguard.agent.weaving.Installer;
import io.tlsguard.agent.weaving.ModuleAccess;
import io.tlsguard.bootstrap.TlsGuardHooks;
import io.tlsguard.contract.AttachRequest;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.contract.UserOptions;
import io.tlsguard.files.TrustedPaths;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.instrument.Instrumentation;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * tlsguard's life in one JVM: start (once), reconfigure (each later attach), status, detach. All of it
 * is synchronized: attach commands are rare and must not interleave. Called by {@link AgentStart}, in
 * {@code doPrivileged}: the threads made here inherit that context.
 */
final class AgentRuntime {
    private static Installer installer;
    /** Volatile: the JMX bean's getters read it from JMX threads, outside the lock. */
    private static volatile Guard guard;

    private static Thread shutdownHook;
    /** The OTLP export (null: none), and the otlp= option it was started for. */
    private static OtlpExporter exporter;

    private static String exporterOption;
    /** The service= option of the first start: the identity is read once, like the cache (null: not given). */
    private static String service;
    /** The JVM's own, kept from the first start: a JMX reconfigure of a detached tlsguard starts it again. */
    private static Instrumentation instrumentation;

    private AgentRuntime() {}

    /** @return null when done, else one line saying why not */
    static synchronized String start(AttachRequest request, Instrumentation inst, boolean dynamic) throws IOException {
        UserOptions options = request.options();
        switch (request.command()) {
            case STATUS:
                reply(request, status(guard != null ? null : "tlsguard is not running in this JVM"));
                return null;
            case DETACH:
                String wasRunning = guard == null ? "tlsguard is not running in this JVM" : null;
                detach();
                reply(request, wasRunning == null ? detached() : status(wasRunning));
                return null;
            default:
                break;
        }
        ProtocolPolicy policy = new ProtocolPolicy(options.mode(), options.min().label(), options.rewrite());
        if (guard != null) {
            String problem = reconfigure(policy, options.report(), options.otlp());
            if (problem != null) {
                return problem;
            }
        } else {
            // first: at startup the hooked classes are woven ahead on another thread while the rest runs here
            Installer prepared = Installer.prepare(inst, options.cache(), !dynamic);
            ReportWriter writer;
            try {
                writer = ReportWriter.open(options.report(), pid(), options.service());
            } catch (IOException | RuntimeException e) {
                prepared.abandon();
                return reportProblem(options.report(), e);
            }
            service = options.service();
            guard = new Guard(policy, writer);
            exportTo(options.otlp());
            String moduleProblem = ModuleAccess.grant(inst, TlsGuardHooks.class);
            if (moduleProblem != null && Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: module access: " + moduleProblem);
            }
            TlsGuardHooks.install(new PrivilegedHandler(guard));
            guard.checkSystemProperties();
            installer = prepared.install();
            shutdownHook = new Thread(
                    new Runnable() { // not a lambda: see ReportWriter
                        @Override
                        public void run() {
                            shutdown("the JVM is exiting");
                        }
                    },
                    "tlsguard-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            instrumentation = inst;
            watchJmx();
        }
        publish();
        OtlpExporter x = exporter;
        System.err.println("tlsguard " + version() + ": mode=" + policy.mode().label() + " min=" + policy.floor()
                + " report=" + ReportLocation.printable(guard.writer().target())
                + (x != null ? " otlp=" + ReportLocation.printable(x.endpoint().toString()) : "")
                + (dynamic ? " (attached)" : ""));
        if (request.reply() != null) { // the attach CLI asked; at startup nobody did, and Jackson stays unloaded
            reply(request, status(null));
        }
        return null;
    }

    /**
     * Registers {@code io.tlsguard:type=Agent} once the platform MBean server exists (never making it). A JVM
     * without java.management ({@code --limit-modules}) runs tlsguard without it.
     */
    private static void watchJmx() {
        try {
            JmxRegistration.watch(JMX_CONTROL);
        } catch (Throwable noJmx) {
            if (Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: no JMX: " + noJmx);
            }
        }
    }

    /** What the JMX bean reads and may call: the same operations as the attach commands, under the same lock. */
    private static final AgentControl JMX_CONTROL = new AgentControl() {
        @Override
        public Guard guard() {
            return guard;
        }

        @Override
        public String version() {
            return AgentRuntime.version();
        }

        @Override
        public long hookErrors() {
            return Installer.hookErrors();
        }

        @Override
        public String status() {
            synchronized (AgentRuntime.class) {
                return AgentRuntime.status(guard != null ? null : "tlsguard is not running in this JVM");
            }
        }

        @Override
        public String reconfigure(String options) {
            return reconfigureOverJmx(options);
        }

        @Override
        public String detach() {
            synchronized (AgentRuntime.class) {
                if (guard == null) {
                    return AgentRuntime.status("tlsguard is not running in this JVM");
                }
                AgentRuntime.detach();
                System.err.println("tlsguard " + version() + ": detached");
                return detached();
            }
        }

        @Override
        public String refusal(String why) {
            return failure(why);
        }
    };

    /**
     * A reconfiguration through JMX: the user options of {@code -javaagent}, checked by the one validation (no
     * envelope: the command is the operation, and a JMX reply needs no file), then what an attach does.
     */
    private static synchronized String reconfigureOverJmx(String options) {
        AttachRequest request = AttachRequest.atStartup(options);
        String problem = request.options().error();
        if (problem == null) {
            try {
                problem = start(request, instrumentation, true);
            } catch (IOException | RuntimeException e) {
                problem = "could not reconfigure: " + e;
            }
        }
        if (problem != null) {
            StartFailure.say(problem, null, true, request.options().failsClosed());
            return failure(problem);
        }
        return status(null);
    }

    /** @return null when done, else why the report could not be moved (nothing was changed then) */
    private static String reconfigure(ProtocolPolicy policy, String report, String otlp) {
        ReportWriter old = guard.writer();
        ReportWriter writer = old;
        if (!old.writesTo(report, pid())) {
            try {
                writer = ReportWriter.open(report, pid(), service);
            } catch (IOException | RuntimeException e) {
                return reportProblem(report, e);
            }
        }
        guard.reconfigure(policy, writer);
        writer.tapLines(exporter);
        if (writer != old) {
            old.close(null, "the report moved to " + writer.target());
        }
        exportTo(otlp);
        return null;
    }

    /**
     * Starts the OTLP export the {@code otlp=} option asks for (null: keeps the one running, if any) and
     * hands it the writer's lines. A later attach naming another endpoint replaces it. An endpoint that
     * cannot be used is said on stderr and the JVM runs on without export: a collector is an addition to
     * the report, never a reason to stop the host (not even under enforce).
     */
    private static void exportTo(String option) {
        if (option == null || option.equals(exporterOption)) {
            return;
        }
        OtlpEndpoint endpoint;
        try {
            endpoint = OtlpEndpoint.of(option, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tlsguard: no OTLP export: " + ReportLocation.printable(e.getMessage()));
            return;
        }
        OtlpExporter old = exporter;
        exporter = new OtlpExporter(endpoint, resourceAttributes(), version()).start();
        exporterOption = option;
        OwnThreads.exempt(exporter.thread());
        guard.writer().tapLines(exporter);
        if (old != null) {
            old.close(closeDeadline(System.nanoTime()));
        }
    }

    /**
     * The JVM's identity as OTLP resource attributes: the report's (report.Resource), which the writer's
     * thread detects before its first line, so before the exporter's first record.
     */
    private static Supplier<Map<String, Object>> resourceAttributes() {
        return new Supplier<Map<String, Object>>() { // not a lambda: see ReportWriter
            @Override
            public Map<String, Object> get() {
                Guard g = guard;
                Resource r = g == null ? null : g.writer().resource();
                return r == null ? Collections.<String, Object>emptyMap() : r.attributes();
            }
        };
    }

    /** One line: the report asked for, and exactly why it cannot be written (control characters escaped). */
    private static String reportProblem(String report, Exception e) {
        String why = e.getMessage() != null ? e.getMessage() : e.toString();
        String what = report == null ? "the report" : "the report to " + report.replace("%p", pid());
        return ReportLocation.printable("cannot write " + what + ": " + why + " (option report=)");
    }

    static String version() {
        String v = AgentRuntime.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String pid() {
        try {
            return new File("/proc/self").getCanonicalFile().getName(); // cheap on Linux, no JMX
        } catch (IOException e) {
            String name =
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            return name.substring(0, Math.max(0, name.indexOf('@')));
        }
    }

    private static void shutdown(String why) {
        long start = System.nanoTime();
        Guard g = guard;
        if (g != null) {
            ReportWriter w = g.writer();
            w.close(
                    new ReportWriter.ExitSummary() { // not a lambda: see ReportWriter
                        @Override
                        public Event at(long written, long dropped) {
                            return g.summary()
                                    .event(g.policy().mode().label(), g.policy().floor(), written, dropped);
                        }
                    },
                    why);
        }
        OtlpExporter x = exporter;
        if (x != null) { // after the writer, which handed it the summary; within the same budget
            x.close(closeDeadline(start));
        }
    }

    /** The exporter's deadline: the report's close budget, counted from {@code startNanos}. */
    private static long closeDeadline(long startNanos) {
        return startNanos + TimeUnit.MILLISECONDS.toNanos(ReportWriter.CLOSE_WAIT_MILLIS);
    }

    /** Gives back the original bytecode of everything transformed and stops reporting. */
    private static void detach() {
        if (guard == null) {
            return;
        }
        TlsGuardHooks.install(null);
        installer.uninstall();
        guard.restoreSystemProperties();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        shutdown("tlsguard was detached");
        for (ReplyKey key : PUBLISHED) {
            System.clearProperty(key.key());
        }
        guard = null;
        installer = null;
        OwnThreads.exempt(null);
        exporter = null;
        exporterOption = null;
    }

    /** The system properties {@link #publish} sets, named like the reply's keys. */
    private static final ReplyKey[] PUBLISHED = {
        ReplyKey.VERSION, ReplyKey.MODE, ReplyKey.MIN, ReplyKey.REWRITE, ReplyKey.REPORT
    };

    /** What the attach CLI reads without loading anything: the target's system properties. */
    private static void publish() {
        System.setProperty(ReplyKey.VERSION.key(), version());
        System.setProperty(ReplyKey.MODE.key(), guard.policy().mode().label());
        System.setProperty(ReplyKey.MIN.key(), guard.policy().floor());
        System.setProperty(ReplyKey.REWRITE.key(), guard.policy().rewrite().label());
        System.setProperty(ReplyKey.REPORT.key(), guard.writer().target());
    }

    /** {"tlsguard.ok":false,"tlsguard.error":...} for the attach CLI, the error escaped as JSON whatever it holds. */
    static String failure(String error) {
        return "{" + quote(ReplyKey.OK.key()) + ":false," + quote(ReplyKey.ERROR.key()) + ":" + quote(error) + "}";
    }

    /** The reply to a detach of a running tlsguard. */
    static String detached() {
        return "{" + quote(ReplyKey.OK.key()) + ":true," + quote(ReplyKey.DETACHED.key()) + ":true}";
    }

    /** One line of JSON for the attach CLI. */
    static String status(String error) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeBooleanField(ReplyKey.OK.key(), error == null);
            if (error != null) {
                json.writeStringField(ReplyKey.ERROR.key(), error);
            }
            json.writeStringField(ReplyKey.VERSION.key(), version());
            Guard g = guard;
            if (g != null) {
                json.writeStringField(ReplyKey.MODE.key(), g.policy().mode().label());
                json.writeStringField(ReplyKey.MIN.key(), g.policy().floor());
                json.writeStringField(
                        ReplyKey.REWRITE.key(), g.policy().rewrite().label());
                json.writeStringField(ReplyKey.REPORT.key(), g.writer().target());
                g.summary().writeVersions(json, ReplyKey.HANDSHAKES_BY_VERSION.key());
                json.writeNumberField(
                        ReplyKey.HANDSHAKES_FAILED.key(), g.summary().failures());
                json.writeNumberField(ReplyKey.PINS.key(), g.summary().pins());
                json.writeNumberField(ReplyKey.EVENTS_WRITTEN.key(), g.writer().written());
                json.writeNumberField(ReplyKey.EVENTS_DROPPED.key(), g.writer().dropped());
                json.writeNumberField(ReplyKey.HOOK_ERRORS.key(), Installer.hookErrors());
                Installer i = installer;
                json.writeStringField(
                        ReplyKey.TRANSFORM_CACHE_LOCATION.key(), i == null ? "off" : i.cacheDescription());
                json.writeNumberField(ReplyKey.TRANSFORM_CACHE_HITS.key(), Installer.cacheHits());
                OtlpExporter x = exporter;
                json.writeStringField(
                        ReplyKey.OTLP_ENDPOINT.key(),
                        x == null ? "off" : x.endpoint().toString());
                if (x != null) {
                    json.writeNumberField(ReplyKey.OTLP_EXPORTED.key(), x.exported());
                    json.writeNumberField(ReplyKey.OTLP_DROPPED.key(), x.dropped());
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            return failure("status: " + e);
        }
        return out.toString();
    }

    /**
     * The one-line answer the attach CLI waits for: a new file, created exclusively and owner-only in the
     * CLI's private directory (checked like every path tlsguard writes), never through a link.
     */
    static void reply(AttachRequest request, String json) {
        if (request == null || request.reply() == null) {
            return;
        }
        try (FileChannel out = TrustedPaths.createNew(request.reply())) {
            ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("tlsguard: cannot write the reply to " + request.reply() + ": " + e.getMessage());
        }
    }

    static String quote(String s) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeString(s);
        } catch (IOException e) {
            return "\"?\"";
        }
        return out.toString();
    }
}
