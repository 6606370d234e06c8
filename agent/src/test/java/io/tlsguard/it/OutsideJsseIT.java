package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.PeerServer;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS that never passes {@code sun.security.ssl} (issue 11, item 5), with the real, unmodified libraries of the
 * sample apps against jsse-legacy's TLS server (JDK 17, legacy security: it accepts TLS 1.0 to 1.3, so the client
 * alone decides):
 * <ul>
 * <li>Bouncy Castle's JSSE 1.78.1 (BCJSSE): its handshakes are reported, established and failed, client and server
 *     socket and engine, and the floor holds at handshake start for a pin made through BC's own API
 *     ({@code BCSSLSocket.setParameters}), which no JSSE setter sees;</li>
 * <li>OkHttp 4.12.0 (and 3.14.9: another ConnectionSpec constructor) with a ConnectionSpec of TLS 1.0/1.1 only: under the JDK's defaults OkHttp refuses the connection
 *     before any JSSE setter. The spec is the pin, reported where the program built it, raised to the floor under
 *     enforce; the refusal is the connection's failed handshake.</li>
 * </ul>
 */
class OutsideJsseIT {

    @RegisterExtension
    static final PeerServer peer = new PeerServer(() -> Jvm.on(Jdks.get("jdk17"))
            .legacySecurity()
            .args("-jar", jar("jsse", "jsse-legacy").toString(), "server", "0", "socket", "none"));

    /** JDK defaults (TLSv1 disabled): BC fails before sending anything; the failure is its handshake's event. */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void bouncyCastleHandshakesAreReported(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .args("-jar", jar("bctls", "bctls-legacy").toString(), String.valueOf(peer.port()))
                .run();
        Report r = Report.read(report);
        List<JsonNode> handshakes = r.named("tls.handshake");
        switch (mode) {
            case "report": // the JVM's own refusal, reported with BC's words
                assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL");
                assertThat(handshakes).as(run + "\n" + r).hasSize(1);
                assertFailed(handshakes.get(0), "No usable protocols enabled");
                assertThat(handshakes.get(0).get("tlsguard.protocols.enabled").toString())
                        .isEqualTo("[\"TLSv1\"]");
                break;
            case "enforce": // the pins raised to the floor: an established TLS 1.2 handshake, reported
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
                assertThat(handshakes).as(run + "\n" + r).hasSize(1);
                assertEstablished(handshakes.get(0), "1.2", run);
                break;
            default: // deny refuses the pins themselves: no handshake starts
                assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL", "tlsguard (mode=deny)");
                assertThat(handshakes).as(run + "\n" + r).isEmpty();
        }
        // getInstance("TLSv1", "BCJSSE") and setEnabledProtocols({TLSv1}); deny refuses the first, so there is no
        // second
        assertThat(r.named("tlsguard.protocol_pin")).as(r.toString()).hasSize(mode.equals("deny") ? 1 : 2);
    }

    /**
     * The same app with Bouncy Castle moved into {@code javax.tlsguardtest.bouncycastle}: a library in a javax.*
     * package (as JavaMail is) is not the JDK, so its sockets get the provider hooks and the floor holds. When
     * tlsguard took the package name for the JDK's, BC's handshake went unhooked and unreported and the pin held.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void aProviderInAJavaxPackageIsHookedAsAnyProvider(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=enforce,report=" + report)
                .args(
                        "-jar",
                        jar("bctls-javax", "bctls-legacy", "bctls-legacy-javax.jar")
                                .toString(),
                        String.valueOf(peer.port()))
                .run();
        assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
        Report r = Report.read(report);
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        assertEstablished(handshakes.get(0), "1.2", run);
        assertThat(r.named("tlsguard.protocol_pin")).as(r.toString()).hasSize(2);
    }

    /** Where the JVM re-allows TLSv1, report mode lets BC negotiate it: the handshake says so. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void bouncyCastleLegacyHandshakeIsReported(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=report,report=" + report)
                .legacySecurity()
                .args("-jar", jar("bctls", "bctls-legacy").toString(), String.valueOf(peer.port()))
                .run();
        Report r = Report.read(report);
        assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1 ");
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        assertEstablished(handshakes.get(0), "1", run);
        assertThat(handshakes.get(0).get("tlsguard.protocols.changed").asBoolean())
                .isFalse();
    }

    /**
     * A pin through Bouncy Castle's own API ({@code BCSSLParameters}): no JSSE setter sees it, so no pin event; the
     * handshake-level floor still holds under enforce (the handshake says tlsguard changed its protocols), and
     * report mode shows the TLSv1 handshake it allowed.
     */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void theFloorHoldsForBouncyCastlesOwnParameters(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .legacySecurity()
                .args("-jar", jar("bctls", "bctls-legacy").toString(), String.valueOf(peer.port()), "bc-parameters")
                .run();
        Report r = Report.read(report);
        assertThat(r.named("tlsguard.protocol_pin")).as(r.toString()).isEmpty();
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        JsonNode handshake = handshakes.get(0);
        switch (mode) {
            case "report":
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1 ");
                assertEstablished(handshake, "1", run);
                assertThat(handshake.get("tlsguard.protocols.changed").asBoolean())
                        .isFalse();
                break;
            case "enforce":
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
                assertEstablished(handshake, "1.2", run);
                assertThat(handshake.get("tlsguard.protocols.changed").asBoolean())
                        .isTrue();
                break;
            default: // nothing left at or above the floor: BC refuses to start
                assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL");
                assertFailed(handshake, "No usable protocols enabled");
                assertThat(handshake.get("tlsguard.protocols.changed").asBoolean())
                        .isTrue();
        }
    }

    /**
     * Bouncy Castle's server side: a BCJSSE server socket pinned to TLSv1 (bctls-legacy {@code server}) and an unpinned
     * JDK client under the JDK's defaults. The pin is reported (and raised under enforce); the accepted socket's
     * handshake is reported from the server's side: failed in report (BC has no protocol the JVM allows), established
     * at TLS 1.2 in enforce. Enforce on every JDK, report on the first: the failure path is the client's, tested above.
     */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("enforceEverywhereReportOnce")
    void bouncyCastleServerHandshakesAreReportedAndTheFloorHolds(Jdk jdk, String mode, @TempDir Path dir)
            throws Exception {
        Path report = dir.resolve("report.jsonl");
        List<String> server;
        Fork.Result client;
        try (LiveProcess bc = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .args("-jar", jar("bctls", "bctls-legacy").toString(), "server", "0")
                .start(dir.resolve("server.err"))) {
            int port = bc.awaitListening();
            client = Jvm.on(Jdks.get("jdk17"))
                    .args(
                            "-jar",
                            jar("jsse", "jsse-legacy").toString(),
                            "client",
                            String.valueOf(port),
                            "unpinned-socket")
                    .run();
            bc.await(l -> l.startsWith("RESULT "), Duration.ofSeconds(30), "RESULT");
            server = bc.lines();
        }
        Report r = Report.read(report);
        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(server + "\n" + r).hasSize(1);
        assertThat(text(pins.get(0), "tlsguard.api")).isEqualTo("SSLServerSocket.setEnabledProtocols");
        assertThat(text(pins.get(0), "code.function.name"))
                .isEqualTo("io.tlsguard.samples.bctls.LegacyBcTls.serveOnce");
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(server + "\n" + client + "\n" + r).hasSize(1);
        JsonNode handshake = handshakes.get(0);
        assertThat(text(handshake, "tlsguard.side")).isEqualTo("server");
        if (mode.equals("enforce")) {
            assertThat(text(pins.get(0), "tlsguard.action")).isEqualTo("rewritten");
            assertThat(server).as(client.toString()).anyMatch(l -> l.startsWith("RESULT OK TLSv1.2 "));
            assertThat(handshake.get("tls.established").asBoolean())
                    .as(handshake.toString())
                    .isTrue();
            assertThat(text(handshake, "tls.protocol.version")).isEqualTo("1.2");
        } else {
            assertThat(text(pins.get(0), "tlsguard.action")).isEqualTo("observed");
            assertThat(server).anyMatch(l -> l.startsWith("RESULT FAIL"));
            assertThat(handshake.get("tls.established").asBoolean())
                    .as(handshake.toString())
                    .isFalse();
            assertThat(text(handshake, "exception.message")).contains("No usable protocols enabled");
        }
    }

    /**
     * Bouncy Castle's engine: the same client on a BCJSSE SSLEngine pinned to TLSv1, under the JDK's defaults. The
     * pin is reported (raised under enforce), the engine's handshake reported: failed in report, TLS 1.2 in enforce.
     */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("enforceEverywhereReportOnce")
    void bouncyCastleEngineHandshakesAreReportedAndTheFloorHolds(Jdk jdk, String mode, @TempDir Path dir)
            throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .args("-jar", jar("bctls", "bctls-legacy").toString(), String.valueOf(peer.port()), "engine")
                .run();
        Report r = Report.read(report);
        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(run + "\n" + r).hasSize(1);
        assertThat(text(pins.get(0), "tlsguard.api")).isEqualTo("SSLEngine.setEnabledProtocols");
        assertThat(text(pins.get(0), "code.function.name"))
                .isEqualTo("io.tlsguard.samples.bctls.LegacyBcTls.engineClient");
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        JsonNode handshake = handshakes.get(0);
        assertThat(text(handshake, "tlsguard.transport")).isEqualTo("SSLEngine");
        if (mode.equals("enforce")) {
            assertThat(text(pins.get(0), "tlsguard.action")).isEqualTo("rewritten");
            assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
            assertThat(handshake.get("tls.established").asBoolean())
                    .as(handshake.toString())
                    .isTrue();
            assertThat(text(handshake, "tls.protocol.version")).isEqualTo("1.2");
        } else {
            assertThat(text(pins.get(0), "tlsguard.action")).isEqualTo("observed");
            assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL");
            assertFailed(handshake, "No usable protocols enabled");
        }
    }

    static Stream<Arguments> enforceEverywhereReportOnce() {
        List<Jdk> jdks = Jdks.all().toList();
        return Stream.concat(
                jdks.stream().limit(1).map(jdk -> Arguments.of(jdk, "report")),
                jdks.stream().map(jdk -> Arguments.of(jdk, "enforce")));
    }

    /**
     * OkHttp under the JDK's defaults: the ConnectionSpec (TLS 1.0, 1.1) is the pin, reported at the program's
     * {@code build()}; report and deny leave OkHttp to refuse the connection (the failure is reported), enforce raises
     * the spec to the floor and the connection works.
     */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void okHttpsConnectionSpecIsThePin(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        assertOkHttpSpecIsThePin(jdk, mode, dir, jar("okhttp", "okhttp-legacy"));
    }

    /**
     * The same program on OkHttp 3.14.9, whose ConnectionSpec is made by another constructor (from its Builder): the
     * same pin, refusal and floor. Enforce on every JDK, report on the first (deny is report's outcome with another
     * action).
     */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("enforceEverywhereReportOnce")
    void okHttp3sConnectionSpecIsThePinToo(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        assertOkHttpSpecIsThePin(jdk, mode, dir, jar("okhttp3", "okhttp3-legacy"));
    }

    private static void assertOkHttpSpecIsThePin(Jdk jdk, String mode, Path dir, Path sample) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .args("-jar", sample.toString(), String.valueOf(peer.port()))
                .run();
        Report r = Report.read(report);
        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(run + "\n" + r).hasSize(1);
        JsonNode pin = pins.get(0);
        assertThat(text(pin, "tlsguard.api")).isEqualTo("okhttp3.ConnectionSpec.tlsVersions");
        assertThat(pin.get("tlsguard.protocols.requested").toString()).isEqualTo("[\"TLSv1\",\"TLSv1.1\"]");
        assertThat(text(pin, "code.function.name")).as(pin.toString()).startsWith("okhttp3.ConnectionSpec");
        // the sample's jar holds OkHttp too (shaded): the program's line is in the stack, not a "caller" of another jar
        assertThat(text(pin, "code.stacktrace"))
                .as(pin.toString())
                .contains("okhttp3.ConnectionSpec$Builder.build(", "io.tlsguard.samples.okhttp.LegacyOkHttp.main(");
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        JsonNode handshake = handshakes.get(0);
        if (mode.equals("enforce")) {
            assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten");
            assertThat(pin.get("tlsguard.protocols.applied").toString()).isEqualTo("[\"TLSv1.2\"]");
            assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
            assertEstablished(handshake, "1.2", run);
        } else {
            assertThat(text(pin, "tlsguard.action")).isEqualTo(mode.equals("report") ? "observed" : "denied");
            assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL java.net.UnknownServiceException");
            assertThat(text(handshake, "error.type")).isEqualTo("java.net.UnknownServiceException");
            assertFailed(handshake, "Unable to find acceptable protocols");
        }
    }

    /**
     * OkHttp's hooked classes go through the transform cache like the JDK's: a warm start of an OkHttp program takes
     * every hooked class from disk, never loads Byte Buddy, and its ConnectionSpec is still raised.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void aWarmOkHttpProgramLoadsNoByteBuddy(Jdk jdk, @TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        long cold = okHttpByteBuddyClasses(jdk, dir, "cold", cache);
        assertThat(cold).as("the first JVM weaves with Byte Buddy").isPositive();
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(f -> f.startsWith("okhttp3.ConnectionSpec-"))
                    .anyMatch(f -> f.startsWith("okhttp3.internal.connection.ConnectionSpecSelector-"));
        }
        assertThat(okHttpByteBuddyClasses(jdk, dir, "warm", cache))
                .as("a warm JVM loads no Byte Buddy")
                .isZero();
    }

    /** Runs the OkHttp sample in enforce with {@code cache}, checks that it worked, and counts Byte Buddy's classes. */
    private static long okHttpByteBuddyClasses(Jdk jdk, Path dir, String name, Path cache) throws Exception {
        Path report = dir.resolve(name + ".jsonl");
        Path classLog = dir.resolve(name + ".classes");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=enforce,cache=" + cache + ",report=" + report)
                .jvmArg(jdk.feature() >= 9 ? "-Xlog:class+load=info:file=" + classLog : "-verbose:class")
                .args("-jar", jar("okhttp", "okhttp-legacy").toString(), String.valueOf(peer.port()))
                .run();
        assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
        Report r = Report.read(report);
        assertThat(r.named("tlsguard.protocol_pin")).as(r.toString()).hasSize(1);
        assertThat(r.named("tls.handshake")).as(r.toString()).hasSize(1);
        List<String> classes = jdk.feature() >= 9
                ? Files.readAllLines(classLog)
                : run.stdout().lines().toList();
        return classes.stream()
                .filter(l -> l.contains("io.tlsguard.shaded.bytebuddy."))
                .count();
    }

    private static void assertEstablished(JsonNode handshake, String version, Fork.Result run) {
        assertThat(handshake.get("tls.established").asBoolean())
                .as(handshake + "\n" + run)
                .isTrue();
        assertThat(text(handshake, "tls.protocol.version")).isEqualTo(version);
        assertThat(text(handshake, "tlsguard.side")).isEqualTo("client");
        assertThat(text(handshake, "tlsguard.transport")).isEqualTo("SSLSocket");
        assertThat(text(handshake, "tls.cipher")).isNotBlank();
        assertThat(handshake.get("server.port").asInt()).isEqualTo(peer.port());
        assertThat(text(handshake, "tls.server.subject")).isNotBlank();
    }

    private static void assertFailed(JsonNode handshake, String message) {
        assertThat(handshake.get("tls.established").asBoolean())
                .as(handshake.toString())
                .isFalse();
        assertThat(text(handshake, "tlsguard.side")).isEqualTo("client");
        assertThat(text(handshake, "exception.message")).contains(message);
        assertThat(handshake.get("server.port").asInt()).isEqualTo(peer.port());
    }

    private static Path jar(String name, String module) {
        return jar(name, module, module + ".jar");
    }

    private static Path jar(String name, String module, String file) {
        return Path.of(System.getProperty("tlsguard.sample." + name, "../sample-apps/" + module + "/target/" + file))
                .toAbsolutePath()
                .normalize();
    }
}
