package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
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
