package io.tlsguard.it;

import static io.tlsguard.testsupport.OtlpReceiver.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.OtlpReceiver;
import io.tlsguard.testsupport.OtlpReceiver.Answer;
import io.tlsguard.testsupport.Report;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * otlp=: the real jar in the jsse sample sends every event to a strict OTLP receiver (the official protobuf
 * definitions, protobuf's JSON parser refusing unknown fields); a collector that is down, slow or answering
 * 503 never holds the host, and the exit waits for it at most the second the docs promise.
 */
class OtlpExportIT {
    /**
     * The exit's budget (ReportWriter.CLOSE_WAIT_MILLIS), and what a loaded machine adds to a JVM's own exit
     * (seen: up to ~1 s at a load of 30 on 2 cores). Far below the request timeout (10 s) and the retry window
     * (30 s) that an unbounded exit would wait; OtlpExporterTest measures close() itself to the millisecond.
     */
    static final long EXIT_BUDGET_MILLIS = 1000;

    static final long EXIT_SLACK_MILLIS = 2000;

    static Stream<Jdk> jdks() {
        return Jdks.all().filter(j -> List.of("jdk8", "jdk17", "jdk25").contains(j.name()));
    }

    /** The sample with a legacy java.security (TLSv1 allowed), so the pinned scenario handshakes on every JDK. */
    static LiveProcess start(Jvm jvm, Path dir, String... scenarios) throws Exception {
        String[] args = Stream.concat(Stream.of("suite"), Stream.of(scenarios)).toArray(String[]::new);
        return jvm.legacySecurity().jsseSample(args).start(dir.resolve("stderr.txt"));
    }

    /** Runs to the end; returns how long the JVM took to exit after its last scenario, in ms. */
    static long exitDelay(LiveProcess host, String lastScenario) throws Exception {
        String line =
                host.await(l -> l.startsWith("SCENARIO " + lastScenario + " "), Duration.ofSeconds(60), lastScenario);
        long seen = System.nanoTime();
        Integer exit = host.awaitExit(Duration.ofSeconds(30));
        long delay = (System.nanoTime() - seen) / 1_000_000;
        assertThat(exit)
                .as("exit code; " + line + "\n" + host.lines() + "\n" + host.stderrText())
                .isZero();
        return delay;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyEventArrivesAsAStrictLogRecord(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            // JDK 8 also runs the application's own security manager: the exporter's connections are tlsguard's
            Jvm jvm = jdk.name().equals("jdk8")
                    ? SecurityManagerIT.appInstallsManager(jdk, SecurityManagerIT.appPolicy(dir, ""))
                    : Jvm.on(jdk);
            LiveProcess host;
            try (LiveProcess started = start(
                    jvm.env("OTEL_SERVICE_NAME", "billing").agent("report=" + report + ",otlp=" + receiver.url()),
                    dir,
                    "tls12-socket",
                    "ctx-tlsv1")) {
                host = started;
                long delay = exitDelay(host, "ctx-tlsv1");
                assertThat(delay).as("exit delay, ms").isLessThan(EXIT_BUDGET_MILLIS + EXIT_SLACK_MILLIS);
            }
            assertThat(host.lines()).allMatch(l -> l.contains(" OK"));
            assertThat(receiver.problems())
                    .as("what the strict receiver refused")
                    .isEmpty();
            assertThat(host.stderrText())
                    .as("the start line names the endpoint")
                    .contains("otlp=" + receiver.url() + "/v1/logs")
                    .doesNotContain("dropped");

            ResourceLogs resourceLogs = receiver.requests().get(0).body().getResourceLogs(0);
            assertThat(attribute(resourceLogs.getResource().getAttributesList(), "service.name"))
                    .isEqualTo("billing");
            assertThat(resourceLogs.getScopeLogs(0).getScope().getName()).isEqualTo("io.tlsguard");

            List<LogRecord> records = receiver.records();
            assertThat(records)
                    .as("one record per report line")
                    .hasSize(Report.read(report).all().size());
            assertThat(records).allSatisfy(r -> assertThat(r.getTimeUnixNano()).isPositive());
            List<LogRecord> handshakes = receiver.records("tls.handshake");
            assertThat(handshakes)
                    .extracting(r -> attribute(r.getAttributesList(), "tls.protocol.version"))
                    .contains("1", "1.2");
            assertThat(handshakes)
                    .extracting(r -> attribute(r.getAttributesList(), "tls.established"))
                    .containsOnly("true");
            List<LogRecord> pins = receiver.records("tlsguard.protocol_pin");
            assertThat(pins).hasSize(1);
            assertThat(attribute(pins.get(0).getAttributesList(), "tlsguard.api"))
                    .isEqualTo("SSLContext.getInstance");
            assertThat(receiver.records("tlsguard.summary")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aCollectorThatIsDownCostsTheHostNothing(Jdk jdk, @TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (LiveProcess host = start(
                Jvm.on(jdk).agent("report=none,otlp=http://127.0.0.1:" + closed), dir, "tls12-socket", "ctx-tlsv1")) {
            long delay = exitDelay(host, "ctx-tlsv1");
            assertThat(delay).as("exit delay, ms").isLessThan(EXIT_BUDGET_MILLIS + EXIT_SLACK_MILLIS);
            assertThat(host.lines()).hasSize(2).allMatch(l -> l.contains(" OK"));
            assertThat(host.stderrText())
                    .as("the drops, said once")
                    .contains("report=none otlp=http://127.0.0.1:" + closed + "/v1/logs")
                    .containsPattern("OTLP log records (are being dropped|were not sent)");
        }
    }

    /**
     * otlp=env, with a header and a timeout: the collector first answers after the timeout, then 503 with
     * Retry-After: 1, then 200. The records arrive after the retries while the host goes on; the header's
     * secret is sent, and never printed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSlowThenRefusingCollectorGetsTheRecordsAfterItsRetries(Jdk jdk, @TempDir Path dir) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            receiver.thenAnswer(new Answer(200, null, 1500), new Answer(503, "1", 0));
            Jvm jvm = Jvm.on(jdk)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url())
                    .env("OTEL_EXPORTER_OTLP_TIMEOUT", "400")
                    .env("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20s3cret")
                    .agent("report=" + dir.resolve("report.jsonl") + ",otlp=env");
            try (LiveProcess host = start(jvm, dir, "tls12-socket", "pause-6000", "ctx-tlsv1")) {
                host.await(l -> l.startsWith("SCENARIO tls12-socket OK"), Duration.ofSeconds(60), "tls12-socket");
                assertThat(receiver.await("tls.handshake", Duration.ofSeconds(5)))
                        .as("the handshake arrived during the pause, after the retries: " + receiver.requests())
                        .isTrue();
                assertThat(host.alive()).isTrue();
                long delay = exitDelay(host, "ctx-tlsv1");
                assertThat(delay).as("exit delay, ms").isLessThan(EXIT_BUDGET_MILLIS + EXIT_SLACK_MILLIS);
                assertThat(receiver.problems()).isEmpty();
                assertThat(receiver.requests().size()).isGreaterThanOrEqualTo(4);
                assertThat(receiver.requests())
                        .allSatisfy(r -> assertThat(r.header("Authorization")).hasValue("Bearer s3cret"));
                assertThat(receiver.records("tlsguard.protocol_pin")).hasSize(1);
                assertThat(receiver.records("tlsguard.summary")).hasSize(1);
                assertThat(host.stderrText()).doesNotContain("s3cret").doesNotContain("dropped");
            }
        }
    }

    /**
     * An https collector: tlsguard's own TLS connection is not the host's, so it is not in the report, even when
     * it fails (here: a port that accepts and closes, so every handshake of the exporter fails).
     */
    @Test
    void theExportersOwnHandshakesAreNotReported(@TempDir Path dir) throws Exception {
        Jdk jdk = Jdks.require("jdk17");
        Path report = dir.resolve("report.jsonl");
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!closing.isClosed()) {
                    try (Socket s = closing.accept()) {
                        // closed at once
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "https://127.0.0.1:" + closing.getLocalPort();
            try (LiveProcess host =
                    start(Jvm.on(jdk).agent("report=" + report + ",otlp=" + url), dir, "tls12-socket", "pause-2500")) {
                exitDelay(host, "pause-2500");
                assertThat(host.stderrText()).contains("OTLP log records");
            }
            Report r = Report.read(report);
            assertThat(r.named("tls.handshake"))
                    .as(r.toString())
                    .hasSize(2)
                    .allSatisfy(e -> assertThat(e.toString()).doesNotContain(":" + closing.getLocalPort()));
            assertThat(Files.readString(report)).doesNotContain(Integer.toString(closing.getLocalPort()));
        }
    }
}
