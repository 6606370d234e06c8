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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tlsguard under a security manager whose policy grants the application's own code only what it needs
 * (sockets on 127.0.0.1) and tlsguard.jar nothing, on the JDKs that can run one (8, 11, 17; JDK 24+
 * cannot, JEP 486). The JVM's security configuration re-allows TLSv1, so that without enforcement the
 * legacy protocol really is negotiated (asserted, without the agent).
 *
 * <ul>
 * <li>The application installs the security manager itself in main (what sandboxing apps do on 8 and 11;
 *     JDK 17 also gets {@code -Djava.security.manager=allow}): tlsguard started before it and holds.</li>
 * <li>A security manager on the command line ({@code -Djava.security.manager}, Tomcat-style) runs
 *     tlsguard's start under the policy: without a grant for tlsguard.jar enforce fails closed with one
 *     line that gives the grant; with that grant it holds.</li>
 * </ul>
 */
class SecurityManagerIT {
    private static final List<String> JDKS = List.of("jdk8", "jdk11", "jdk17");

    static Stream<Arguments> jdksWithModes() {
        return Jdks.withModes().filter(a -> JDKS.contains(((Jdk) a.get()[0]).name()));
    }

    static Stream<Arguments> jdksWithStartModes() {
        return Jdks.all()
                .filter(j -> JDKS.contains(j.name()))
                .flatMap(jdk -> Stream.of("enforce", "report").map(mode -> Arguments.of(jdk, mode)));
    }

    static Stream<Jdk> jdks() {
        return Jdks.all().filter(j -> JDKS.contains(j.name()));
    }

    /** Only the sample program's code source gets anything: its sockets on 127.0.0.1. */
    static Path appPolicy(Path dir, String more) throws IOException {
        Path policy = dir.resolve("app.policy");
        Files.writeString(
                policy,
                "grant codeBase \"file:" + Artifacts.jsseSample() + "\" {\n"
                        + "  permission java.net.SocketPermission \"127.0.0.1:1024-\", \"listen,accept,connect,resolve\";\n"
                        + "};\n" + more);
        return policy;
    }

    static String agentGrant() {
        return "grant codeBase \"file:" + Artifacts.agentJar() + "\" { permission java.security.AllPermission; };";
    }

    /** The application's JVM: legacy security, the policy added to the JDK's default one (as apps do). */
    static Jvm sandboxed(Jdk jdk, Path policy) {
        return Jvm.on(jdk).legacySecurity().jvmArg("-Djava.security.policy=" + policy);
    }

    /** The sample installs its security manager in main; JDK 17 must be told that this is allowed. */
    static Jvm appInstallsManager(Jdk jdk, Path policy) {
        Jvm jvm = sandboxed(jdk, policy).jvmArg("-Dsample.securityManager=true");
        return jdk.feature() >= 17 ? jvm.jvmArg("-Djava.security.manager=allow") : jvm;
    }

    /** stderr without the JDK's own security-manager deprecation warnings. */
    static List<String> tlsguardLines(Fork.Result run) {
        return run.stderrLines().stream().filter(l -> !l.startsWith("WARNING:")).toList();
    }

    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("jdksWithModes")
    void holdsWhenTheApplicationInstallsASecurityManager(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path policy = appPolicy(dir, "");
        Path report = dir.resolve("report.jsonl");
        // a cold transform cache: the JDK classes the program loads after installing its manager are woven then, so
        // Byte Buddy runs under the manager (a warm cache had hidden that it was denied, and enforce did not hold)
        Fork.Result run = appInstallsManager(jdk, policy)
                .agent("mode=" + mode + ",report=" + report + ",cache=" + dir.resolve("cache"))
                .jsseSample("suite", "ctx-tlsv1", "unpinned-socket", "switch-off-tlsguard")
                .run();
        Report r = Report.read(report);
        assertThat(tlsguardLines(run))
                .as("the host's stderr\n" + run)
                .containsExactly("tlsguard " + AgentVersion.get() + ": mode=" + mode + " min=TLSv1.2 report=" + report);
        List<JsonNode> pins = r.pins("scenario-ctx-tlsv1");
        assertThat(pins).as("the pin\n" + run + r).hasSize(1);
        JsonNode pin = pins.get(0);
        assertThat(text(pin, "tlsguard.api")).isEqualTo("SSLContext.getInstance");
        assertThat(text(pin, "code.function.name")).startsWith("io.tlsguard.samples.jsse.LegacyJsse$Scenarios.");
        switch (mode) {
            case "enforce" -> {
                assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten");
                assertThat(run.negotiated("ctx-tlsv1")).as(run.toString()).isIn("TLSv1.2", "TLSv1.3");
                assertThat(text(r.handshakes("scenario-ctx-tlsv1", "client").get(0), "tls.protocol.version"))
                        .isIn("1.2", "1.3");
            }
            case "deny" -> {
                assertThat(text(pin, "tlsguard.action")).isEqualTo("denied");
                assertThat(run.scenario("ctx-tlsv1"))
                        .as(run.toString())
                        .startsWith("FAIL java.security.NoSuchAlgorithmException: tlsguard (mode=deny)");
            }
            default -> {
                assertThat(text(pin, "tlsguard.action")).isEqualTo("observed");
                assertThat(run.negotiated("ctx-tlsv1")).as(run.toString()).isEqualTo("TLSv1");
                Fork.Result alone = appInstallsManager(jdk, policy)
                        .jsseSample("suite", "ctx-tlsv1")
                        .run();
                assertThat(alone.negotiated("ctx-tlsv1"))
                        .as("without tlsguard\n" + alone)
                        .isEqualTo("TLSv1");
                assertHandshakesComplete(r, run);
            }
        }
        assertThat(run.negotiated("unpinned-socket")).as(run.toString()).isEqualTo("TLSv1.3");
        assertThat(r.pins("scenario-unpinned-socket")).isEmpty();
        // the sandboxed code cannot switch tlsguard off: the pin after its attempts is caught like the first
        assertThat(run.stdout())
                .as(run.toString())
                .contains("SWITCH-OFF install refused: java.security.AccessControlException: access denied"
                        + " (\"java.lang.RuntimePermission\" \"io.tlsguard.installHooks\")")
                .contains("SWITCH-OFF agentmain returned")
                .contains("SWITCH-OFF counters read-only");
        assertThat(r.pins("scenario-switch-off-tlsguard")).as(r.toString()).hasSize(1);
        switch (mode) {
            case "enforce" ->
                assertThat(run.negotiated("switch-off-tlsguard"))
                        .as(run.toString())
                        .isIn("TLSv1.2", "TLSv1.3");
            case "deny" ->
                assertThat(run.scenario("switch-off-tlsguard"))
                        .startsWith("FAIL java.security.NoSuchAlgorithmException");
            default -> assertThat(run.negotiated("switch-off-tlsguard")).isEqualTo("TLSv1");
        }
        assertThat(r.summary().get("tlsguard.events.dropped").asLong()).isZero();
    }

    /**
     * The TLSv1 handshake, seen from both ends in one JVM: each side says which it is, with protocol,
     * cipher and the addresses (the client's server.port is the server's, its client.port the server's
     * client.port).
     */
    private static void assertHandshakesComplete(Report r, Fork.Result run) {
        List<JsonNode> client = r.handshakes("scenario-ctx-tlsv1", "client");
        assertThat(client).as("the client's handshake\n" + run + r).hasSize(1);
        JsonNode c = client.get(0);
        assertThat(text(c, "tls.protocol.version")).isEqualTo("1");
        assertThat(text(c, "tls.cipher")).startsWith("TLS_");
        assertThat(text(c, "server.address")).isEqualTo("127.0.0.1");
        assertThat(text(c, "client.address")).isEqualTo("127.0.0.1");
        assertThat(c.get("server.port").asInt()).isPositive();
        assertThat(c.get("client.port").asInt()).isPositive();
        int clientPort = c.get("client.port").asInt();
        List<JsonNode> server = r.where(e -> "tls.handshake".equals(text(e, "event.name"))
                && "server".equals(text(e, "tlsguard.side"))
                && e.has("client.port")
                && e.get("client.port").asInt() == clientPort);
        assertThat(server)
                .as("the server's end of the client's handshake\n" + r)
                .hasSize(1);
        JsonNode s = server.get(0);
        assertThat(text(s, "thread.name")).startsWith("server-conn-");
        assertThat(text(s, "tls.protocol.version")).isEqualTo("1");
        assertThat(text(s, "tls.cipher")).isEqualTo(text(c, "tls.cipher"));
        assertThat(text(s, "server.address")).isEqualTo("127.0.0.1");
        assertThat(s.get("server.port").asInt()).isEqualTo(c.get("server.port").asInt());
    }

    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("jdksWithStartModes")
    void securityManagerAtStartWithoutAGrantIsSaidInOneLine(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = sandboxed(jdk, appPolicy(dir, ""))
                .jvmArg("-Djava.security.manager")
                .agent("mode=" + mode + ",report=" + report)
                .jsseSample("suite", "ctx-tlsv1")
                .run();
        String why =
                "tlsguard: a security manager is installed and its policy does not grant tlsguard.jar AllPermission,"
                        + " which tlsguard needs to guard TLS; ";
        String remedy = "; add to the policy: " + agentGrant();
        if (mode.equals("enforce")) {
            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.stdout()).as("the program never ran").doesNotContain("SCENARIO");
            assertThat(tlsguardLines(run))
                    .as(run.toString())
                    .containsExactly(why + "stopping the JVM because enforce/deny fail closed" + remedy);
        } else {
            assertThat(tlsguardLines(run))
                    .as(run.toString())
                    .containsExactly(
                            why + "tlsguard is not running (report mode: the program runs unguarded)" + remedy);
            assertThat(run.negotiated("ctx-tlsv1")).as(run.toString()).isEqualTo("TLSv1");
            assertThat(report).doesNotExist();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void securityManagerAtStartWithTheGrantHolds(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = sandboxed(jdk, appPolicy(dir, agentGrant() + "\n"))
                .jvmArg("-Djava.security.manager")
                .agent("mode=enforce,report=" + report)
                .jsseSample("suite", "ctx-tlsv1")
                .run();
        assertThat(tlsguardLines(run))
                .as(run.toString())
                .containsExactly("tlsguard " + AgentVersion.get() + ": mode=enforce min=TLSv1.2 report=" + report);
        assertThat(run.negotiated("ctx-tlsv1")).as(run.toString()).isIn("TLSv1.2", "TLSv1.3");
        Report r = Report.read(report);
        assertThat(r.pins("scenario-ctx-tlsv1")).as(r.toString()).hasSize(1);
        assertThat(text(r.pins("scenario-ctx-tlsv1").get(0), "tlsguard.action")).isEqualTo("rewritten");
        JsonNode client = r.handshakes("scenario-ctx-tlsv1", "client").get(0);
        assertThat(text(client, "tls.protocol.version")).isIn("1.2", "1.3");
        assertThat(text(client, "server.address")).isEqualTo("127.0.0.1");
    }
}
