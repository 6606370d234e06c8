package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Artifacts;
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
 * comes first. And next to an agent whose transformer makes class loading contend with tlsguard's loader,
 * as OpenTelemetry's once did in the compatibility matrix (a hang at startup).
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

    /**
     * sample-apps/contending-agent, started first, on every class tlsguard's loader defines (~640 on a first
     * start: tlsguard's, Jackson's, Byte Buddy's): has another thread define a class through every transformer
     * while it waits, and loads the class being defined again. Before the transformer's warm-up, the other thread
     * waited for HookTargets (in a real JVM, with OpenTelemetry: a hang); before AgentClassLoader took a duplicate
     * definition for what it is, tlsguard could not start (enforce then stops the JVM).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void withAnAgentWhoseTransformerContendsForClassLoading(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .jvmArg("-javaagent:" + Artifacts.sampleApp("contending-agent"))
                .agent("mode=enforce,report=" + report + ",cache=" + dir.resolve("cache")) // cold: Byte Buddy too
                .legacySecurity()
                .jsseSample("suite", "ctx-tlsv1", "socket-enabled")
                .timeout(120)
                .run();
        assertThat(run.stderr())
                .as(run.toString())
                .doesNotContain("CONTENDED", "tlsguard: could not")
                .containsPattern("contender: [1-9][0-9]{2,} classes of tlsguard's loader contended");
        for (String scenario : List.of("ctx-tlsv1", "socket-enabled")) {
            assertThat(run.negotiated(scenario)).as(scenario + "\n" + run).isEqualTo("TLSv1.2");
        }
        Report r = Report.read(report);
        assertThat(r.named("tlsguard.protocol_pin").stream().map(e -> text(e, "tlsguard.action")))
                .as(r.toString())
                .containsOnly("rewritten")
                .hasSize(2);
    }
}
