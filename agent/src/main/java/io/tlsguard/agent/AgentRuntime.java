package io.tlsguard.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsguard.agent.report.ReportWriter;
import io.tlsguard.bootstrap.TlsGuardHooks;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * tlsguard's life in one JVM: start (once), reconfigure (each later attach), status, detach. All of it
 * is synchronized: attach commands are rare and must not interleave. Called by {@link AgentStart}, in
 * {@code doPrivileged}: the threads made here inherit that context.
 */
final class AgentRuntime {
    private static Installer installer;
    private static Guard guard;
    private static Thread shutdownHook;

    private AgentRuntime() {
    }

    /** @return null when done, else one line saying why not */
    static synchronized String start(AgentOptions options, Instrumentation inst, boolean dynamic) throws IOException {
        switch (options.command()) {
            case "status":
                reply(options, status(guard != null ? null : "tlsguard is not running in this JVM"));
                return null;
            case "detach":
                String wasRunning = guard == null ? "tlsguard is not running in this JVM" : null;
                detach();
                reply(options, wasRunning == null ? "{\"ok\":true,\"detached\":true}" : status(wasRunning));
                return null;
            default:
                break;
        }
        ProtocolPolicy policy = new ProtocolPolicy(options.mode(), options.floor());
        String target = reportTarget(options.report());
        if (guard != null) {
            reconfigure(policy, target);
        } else {
            ReportWriter writer;
            try {
                writer = ReportWriter.open(target);
            } catch (IOException | RuntimeException e) {
                return "cannot write the report to " + target + ": " + e.getMessage() + " (option report=)";
            }
            guard = new Guard(policy, writer);
            String moduleProblem = ModuleAccess.grant(inst, TlsGuardHooks.class);
            if (moduleProblem != null && Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: module access: " + moduleProblem);
            }
            TlsGuardHooks.install(new PrivilegedHandler(guard));
            guard.checkSystemProperties();
            installer = Installer.install(inst, options.cache());
            shutdownHook = new Thread(new Runnable() { // not a lambda: see ReportWriter
                @Override
                public void run() {
                    shutdown();
                }
            }, "tlsguard-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        publish();
        System.err.println("tlsguard " + AgentStart.version() + ": mode=" + policy.mode().label() + " min=" + policy.floor()
                + " report=" + guard.writer().target() + (dynamic ? " (attached)" : ""));
        if (options.reply() != null) { // the attach CLI asked; at startup nobody did, and Jackson stays unloaded
            reply(options, status(null));
        }
        return null;
    }

    private static void reconfigure(ProtocolPolicy policy, String target) throws IOException {
        ReportWriter old = guard.writer();
        ReportWriter writer = old;
        if (!old.target().equals(new File(target).getAbsolutePath()) && !old.target().equals(target)) {
            writer = ReportWriter.open(target);
        }
        guard.reconfigure(policy, writer);
        if (writer != old) {
            old.close(null);
        }
    }

    /** The report path: %p becomes the pid; default a file named with the pid in java.io.tmpdir. */
    static String reportTarget(String option) {
        String pid = pid();
        if (option == null) {
            return new File(System.getProperty("java.io.tmpdir"), "tlsguard-" + pid + ".jsonl").getAbsolutePath();
        }
        return option.equals("stderr") ? option : option.replace("%p", pid);
    }

    static String pid() {
        try {
            return new File("/proc/self").getCanonicalFile().getName(); // cheap on Linux, no JMX
        } catch (IOException e) {
            String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
            return name.substring(0, Math.max(0, name.indexOf('@')));
        }
    }

    private static void shutdown() {
        Guard g = guard;
        if (g != null) {
            ReportWriter w = g.writer();
            w.close(new java.util.function.Supplier<io.tlsguard.agent.report.Event>() {
                @Override
                public io.tlsguard.agent.report.Event get() {
                    return g.summary().event(g.policy().mode().label(), g.policy().floor(), w.written(), w.dropped());
                }
            });
        }
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
        shutdown();
        for (String key : new String[] {"tlsguard.version", "tlsguard.mode", "tlsguard.min", "tlsguard.report"}) {
            System.clearProperty(key);
        }
        guard = null;
        installer = null;
    }

    /** What the attach CLI reads without loading anything: the target's system properties. */
    private static void publish() {
        System.setProperty("tlsguard.version", AgentStart.version());
        System.setProperty("tlsguard.mode", guard.policy().mode().label());
        System.setProperty("tlsguard.min", guard.policy().floor());
        System.setProperty("tlsguard.report", guard.writer().target());
    }

    /** One line of JSON for the attach CLI. */
    static String status(String error) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeBooleanField("ok", error == null);
            if (error != null) {
                json.writeStringField("error", error);
            }
            json.writeStringField("tlsguard.version", AgentStart.version());
            Guard g = guard;
            if (g != null) {
                json.writeStringField("mode", g.policy().mode().label());
                json.writeStringField("min", g.policy().floor());
                json.writeStringField("report", g.writer().target());
                g.summary().writeVersions(json);
                json.writeNumberField("handshake_failures", g.summary().failures());
                json.writeNumberField("pins", g.summary().pins());
                json.writeNumberField("events_written", g.writer().written());
                json.writeNumberField("events_dropped", g.writer().dropped());
                json.writeNumberField("hook_errors", Installer.ERRORS.get());
                Installer i = installer;
                json.writeStringField("transform_cache", i == null ? "off" : i.cacheDescription());
                json.writeNumberField("transform_cache_hits", TransformCache.HITS.get());
            }
            json.writeEndObject();
        } catch (IOException e) {
            return "{\"ok\":false,\"error\":\"status: " + e + "\"}";
        }
        return out.toString();
    }

    static void reply(AgentOptions options, String json) {
        if (options == null || options.reply() == null) {
            return;
        }
        try {
            Files.write(new File(options.reply()).toPath(), (json + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            System.err.println("tlsguard: cannot write the reply to " + options.reply() + ": " + e.getMessage());
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
