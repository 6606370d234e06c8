package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tlsguard next to the OpenTelemetry Java agent (which also carries a Byte Buddy and instruments the
 * JDK): both start, the program works, tlsguard's report is complete and enforce holds, whichever agent
 * comes first.
 */
class CoexistenceIT {
    static final Path OTEL =
            Paths.get(System.getProperty("tlsguard.otel.agent", "target/it-agents/opentelemetry-javaagent.jar"));
    static final List<String> SCENARIOS = List.of("ctx-tlsv1", "socket-enabled", "tls13-engine", "resume-tls12");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void withOpenTelemetryAgent(Jdk jdk, @TempDir Path dir) throws Exception {
        for (boolean otelFirst : List.of(true, false)) {
            if (!otelFirst && jdk.feature() != 17) {
                continue; // the reverse order once is enough: it is the same code on every JDK
            }
            Path report = dir.resolve("report-" + otelFirst + ".jsonl");
            Jvm jvm = Jvm.on(jdk);
            if (otelFirst) {
                jvm.jvmArg("-javaagent:" + OTEL);
            }
            jvm.agent("mode=enforce,report=" + report);
            if (!otelFirst) {
                jvm.jvmArg("-javaagent:" + OTEL);
            }
            jvm.jvmArg("-Dotel.traces.exporter=none")
                    .jvmArg("-Dotel.metrics.exporter=none")
                    .jvmArg("-Dotel.logs.exporter=none")
                    .legacySecurity();
            List<String> args = new java.util.ArrayList<>(List.of("suite"));
            args.addAll(SCENARIOS);
            Fork.Result run =
                    jvm.jsseSample(args.toArray(String[]::new)).timeout(180).run();
            for (String scenario : SCENARIOS) {
                assertThat(run.negotiated(scenario))
                        .as(scenario + " otelFirst=" + otelFirst + "\n" + run)
                        .isIn("TLSv1.2", "TLSv1.3");
            }
            Report r = Report.read(report);
            assertThat(r.named("tls.handshake")).as(r.toString()).hasSize(10); // 5 connections, both sides
            assertThat(r.named("tlsguard.protocol_pin").stream().map(e -> text(e, "tlsguard.action")))
                    .containsOnly("rewritten")
                    .hasSize(2);
            assertThat(run.stderr()).as(run.toString()).doesNotContain("Exception", "tlsguard: ");
        }
    }
}
