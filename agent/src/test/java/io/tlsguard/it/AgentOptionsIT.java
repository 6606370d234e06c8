package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a user writes after {@code -javaagent:tlsguard.jar=}, a JVM asked to be guarded is guarded or
 * stops: the attach CLI's protocol keys are not options, a key given twice is an error, and an explicit
 * agent is never taken for the JDK-tool exemption meant for JAVA_TOOL_OPTIONS.
 */
class AgentOptionsIT {
    private static final Jdk JDK17 = Jdks.get("jdk17");

    static Stream<Arguments> neverUnguarded() {
        return Stream.of(
                Arguments.of("mode=enforce,command=status", "unknown option 'command'"),
                Arguments.of("mode=enforce,command=detach", "unknown option 'command'"),
                Arguments.of("mode=deny,command=attach", "unknown option 'command'"),
                Arguments.of("mode=deny,options=mode=report", "unknown option 'options'"),
                Arguments.of("mode=enforce,mode=report", "option 'mode' is given twice"),
                Arguments.of("mode=report,mode=deny", "option 'mode' is given twice"),
                Arguments.of(
                        "tlsguard-attach/1;command=detach;reply=/tmp/r.json;options=mode=enforce", "unknown option"));
    }

    /** Each of these once started with rc 0, no message, and let TLSv1 through. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("neverUnguarded")
    void internalKeysAndDuplicatesFailClosed(String options, String message) throws Exception {
        Fork.Result run = Jvm.on(JDK17)
                .agent(options)
                .legacySecurity()
                .jsseSample("suite", "ctx-tlsv1")
                .run();
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderrLines())
                .as(run.toString())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("tlsguard: ")
                        .contains(message)
                        .endsWith("stopping the JVM because enforce/deny fail closed"));
        assertThat(run.stdout()).doesNotContain("SCENARIO");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reply", "replyFile"})
    void aReplyFileIsNoOption(String key, @TempDir Path dir) throws Exception {
        Path reply = dir.resolve("reply.json");
        Fork.Result run = Jvm.on(JDK17)
                .agent("mode=enforce," + key + "=" + reply)
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderrLines().get(0)).contains("unknown option '" + key + "'");
        assertThat(reply).doesNotExist();
    }

    /** An application jar named like a JDK module is an application: explicit or through JAVA_TOOL_OPTIONS. */
    @ParameterizedTest(name = "{0} explicit={1}")
    @MethodSource("jdksTwice")
    void anAppNamedJdkSomethingIsGuarded(Jdk jdk, boolean explicit, @TempDir Path dir) throws Exception {
        Path app = Files.copy(Artifacts.jsseSample(), dir.resolve("jdk.billing.jar"));
        Path report = dir.resolve("r.jsonl");
        String agent = "mode=enforce,report=" + report;
        Jvm jvm = Jvm.on(jdk).legacySecurity();
        jvm = explicit
                ? jvm.agent(agent)
                : jvm.env("JAVA_TOOL_OPTIONS", "-javaagent:" + Artifacts.agentJar() + "=" + agent);
        Fork.Result run = jvm.args("-jar", app.toString(), "suite", "ctx-tlsv1").run();
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.stderrLines())
                .as(run.toString())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("tlsguard "));
        assertThat(run.negotiated("ctx-tlsv1")).as(run.toString()).isIn("TLSv1.2", "TLSv1.3");
        assertThat(Report.read(report).named("tlsguard.protocol_pin"))
                .singleElement()
                .satisfies(pin -> assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten"));
    }

    /**
     * Every line says who wrote it (issue 12 section 1): service= wins over OTEL_SERVICE_NAME, which wins over
     * service.name in OTEL_RESOURCE_ATTRIBUTES, whose other pairs are on every line too, but never in place of
     * tlsguard's own fields; a legacy handshake and a pin are warnings, a TLS 1.2 handshake and the summary info.
     * One JVM a JDK (two on JDK 17, where the option's is), 3 to 7 s each on a busy 2-core machine.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void everyLineSaysWhoWroteIt(Jdk jdk, @TempDir Path dir) throws Exception {
        String attributes = "service.name=from-attributes,deployment.environment=prod,team=pay%20ments,host.name=evil,"
                + "tlsguard.mode=deny";
        Path byOption = dir.resolve("option.jsonl");
        Path byEnv = dir.resolve("env.jsonl");
        // the option is parsed alike on every JDK: its JVM runs on one, the environment's on each
        List<Path> reports = jdk.name().equals("jdk17") ? List.of(byOption, byEnv) : List.of(byEnv);
        for (Path report : reports) {
            Jvm jvm = Jvm.on(jdk)
                    .agent("report=" + report + (report == byOption ? ",service=checkout api" : ""))
                    .legacySecurity()
                    .env("OTEL_SERVICE_NAME", "billing")
                    .env("OTEL_RESOURCE_ATTRIBUTES", attributes)
                    .env("HOSTNAME", "ci-host-1")
                    .jsseSample("suite", "ctx-tlsv1", "tls12-socket");
            Fork.Result run = jvm.run();
            assertThat(run.exit()).as(run.toString()).isZero();
            List<JsonNode> lines = Report.read(report).all();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(6); // a pin, two handshakes a scenario, the summary
            for (JsonNode line : lines) {
                List<String> fields = new ArrayList<>();
                line.fieldNames().forEachRemaining(fields::add);
                assertThat(fields.subList(0, 11))
                        .as("%s", line)
                        .containsExactly(
                                "event.name",
                                "timestamp",
                                "service.name",
                                "deployment.environment",
                                "team",
                                "host.name",
                                "process.pid",
                                "process.runtime.name",
                                "process.runtime.version",
                                "process.command",
                                "severity_text");
                assertThat(text(line, "service.name")).isEqualTo(report == byOption ? "checkout api" : "billing");
                assertThat(text(line, "deployment.environment")).isEqualTo("prod");
                assertThat(text(line, "team")).isEqualTo("pay ments");
                assertThat(text(line, "host.name")).isEqualTo("ci-host-1");
                assertThat(line.get("process.pid").asLong()).isPositive();
                assertThat(text(line, "process.runtime.version"))
                        .startsWith(jdk.feature() == 8 ? "1.8" : "" + jdk.feature());
                assertThat(text(line, "process.command")).endsWith(".jar");
                String eventName = text(line, "event.name");
                boolean legacy = eventName.equals("tls.handshake") && !"1.2".equals(text(line, "tls.protocol.version"));
                String severity = eventName.equals("tlsguard.protocol_pin") || legacy ? "WARN" : "INFO";
                assertThat(text(line, "severity_text")).as("%s", line).isEqualTo(severity);
                assertThat(line.get("severity_number").asInt()).isEqualTo(severity.equals("WARN") ? 13 : 9);
                if (eventName.equals("tlsguard.summary")) {
                    assertThat(text(line, "tlsguard.mode")).isEqualTo("report");
                }
            }
            assertThat(lines)
                    .anySatisfy(l -> assertThat(text(l, "severity_text")).isEqualTo("WARN"));
            assertThat(lines)
                    .anySatisfy(l -> assertThat(text(l, "tls.protocol.version")).isEqualTo("1.2"));
        }
    }

    static Stream<Arguments> jdksTwice() {
        return Jdks.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, true), Arguments.of(jdk, false)));
    }

    /** The exemption is for JAVA_TOOL_OPTIONS: a JDK tool given the agent on its own command line runs it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void anExplicitAgentOnAJdkToolRuns(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.jsonl");
        ProcessBuilder pb = new ProcessBuilder(
                jdk.home().resolve("bin/keytool").toString(),
                "-J-javaagent:" + Artifacts.agentJar() + "=report=" + report,
                "-help");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        assertThat(List.of(output.split("\n")))
                .as(output)
                .anySatisfy(l -> assertThat(l).startsWith("tlsguard ").contains("mode=report"));
        assertThat(report).exists();
    }
}
