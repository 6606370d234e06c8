package io.tlsguard.compat;

import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one cell: forks the application's JVM with the real shaded agent jar, and reads what it did. */
final class CellRunner {
    /**
     * Start-up dominates every cell: class data sharing where the JDK has an archive (test-support's {@code Jvm}
     * already gives every forked JVM C1 only and the serial collector).
     */
    static final List<String> LEAN_JVM = List.of("-Xshare:auto");

    private static final int CLIENT_SECONDS = 60;
    /** The OpenTelemetry agent's own start is slow. */
    private static final int OTEL_CLIENT_SECONDS = 120;

    private static final int SERVER_START_SECONDS = 30;
    private static final String LISTENING = "LISTENING ";

    private final PeerServers peers;
    private final Path work;

    CellRunner(PeerServers peers, Path work) {
        this.peers = peers;
        this.work = work;
    }

    CellResult run(Cell cell) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path report = work.resolve(cell.fileName() + ".jsonl");
        Jvm jvm = jvm(cell, report);
        App app = cell.app();
        ClientOutcome outcome;
        String output;
        if (app.kind() == App.Kind.CLIENT) {
            int seconds = app.has(App.Check.OPENTELEMETRY_AGENT) ? OTEL_CLIENT_SECONDS : CLIENT_SECONDS;
            try {
                Fork.Result run = jvm.timeout(seconds).run();
                output = run.toString();
                outcome = ClientOutcome.parse(run.stdout(), run.stderr());
                if (outcome.worked()
                        && app.has(App.Check.OPENTELEMETRY_AGENT)
                        && !OpenTelemetryAgent.exportedASpan(run.stderr())) {
                    outcome = new ClientOutcome(
                            false, outcome.protocols(), "app worked but OpenTelemetry exported no span");
                }
            } catch (AssertionError timedOut) { // Fork.run: killed after the time limit, with its output
                output = timedOut.getMessage();
                outcome = new ClientOutcome(
                        false,
                        List.of(),
                        ClientOutcome.NO_RESULT + " (exit/timeout); timed out after " + seconds + " s");
            }
        } else {
            ServerRun run = runServer(cell, jvm);
            outcome = run.outcome();
            output = run.output();
        }
        ReportSummary summary = ReportSummary.ABSENT;
        String violation = null;
        if (cell.mode() != Mode.NONE) {
            try {
                summary = ReportSummary.read(report);
            } catch (AssertionError invalid) {
                violation = invalid.getMessage();
            }
            if (Files.exists(report)) {
                output += "\nreport " + report + ":\n" + Files.readString(report, StandardCharsets.UTF_8);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new CellResult(
                cell, outcome.worked(), outcome.protocols(), outcome.detail(), summary, violation, seconds, output);
    }

    /** The cell's JVM: lean flags, security, the row's flags, the OpenTelemetry agent (first), tlsguard, the jar. */
    private Jvm jvm(Cell cell, Path report) {
        App app = cell.app();
        Jvm jvm = Jvm.on(cell.jdk()).jvmArgs(LEAN_JVM);
        if (cell.security() == Security.LEGACY) {
            jvm.legacySecurity();
        }
        jvm.jvmArgs(app.jvmFlags());
        if (app.has(App.Check.OPENTELEMETRY_AGENT)) {
            jvm.jvmArgs(OpenTelemetryAgent.jvmFlags());
        }
        if (cell.mode() != Mode.NONE) {
            jvm.agent("mode=" + cell.mode().option() + ",report=" + report);
        }
        List<String> args = new ArrayList<>(
                List.of("-jar", Artifacts.sampleApp(app.module()).toString()));
        for (String arg : app.args()) {
            args.add(arg.equals(App.PORT) ? String.valueOf(peers.port(app.peer())) : arg);
        }
        return jvm.args(args.toArray(String[]::new));
    }

    private record ServerRun(ClientOutcome outcome, String output) {}

    /** Starts the server, probes it with openssl once it listens, then stops it (SIGTERM: tlsguard writes its summary). */
    private ServerRun runServer(Cell cell, Jvm jvm) throws IOException, InterruptedException {
        Path out = work.resolve(cell.fileName() + ".out");
        Path err = work.resolve(cell.fileName() + ".err");
        Process process = jvm.start(out, err);
        ClientOutcome outcome;
        try {
            Integer port = awaitPort(process, out);
            if (port == null) {
                String cause = Files.readAllLines(err).stream()
                        .filter(l -> l.contains("Exception") || l.contains("Error"))
                        .findFirst()
                        .orElse("");
                outcome = new ClientOutcome(false, List.of(), ClientOutcome.clean("server did not start: " + cause));
            } else {
                List<String> accepted = Openssl.acceptedVersions(port);
                outcome = accepted.isEmpty()
                        ? new ClientOutcome(
                                false, List.of(), "accepts no protocol version (TLSv1..TLSv1.3 all refused)")
                        : new ClientOutcome(true, accepted, "");
            }
        } finally {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        String output = "command: " + String.join(" ", jvm.command()) + "\nstdout:\n" + Files.readString(out)
                + "\nstderr:\n" + Files.readString(err);
        return new ServerRun(outcome, output);
    }

    private static Integer awaitPort(Process process, Path out) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SERVER_START_SECONDS);
        while (System.nanoTime() < end) {
            String text = Files.readString(out);
            for (String line :
                    text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) { // whole lines only
                if (line.startsWith(LISTENING)) {
                    return Integer.parseInt(line.substring(LISTENING.length()).trim());
                }
            }
            if (!process.isAlive()) {
                return null;
            }
            Thread.sleep(50);
        }
        return null;
    }
}
