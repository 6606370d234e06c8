package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty 4.1 on netty-tcnative's BoringSSL ({@code SslProvider.OPENSSL}, sample-apps/netty-tcnative-legacy) pinned to
 * TLSv1.1 through {@code SslContextBuilder.protocols}: an SSLEngine that handshakes in native code, outside JSSE, and
 * ignores {@code jdk.tls.disabledAlgorithms}. Its pin (through {@code ReferenceCountedOpenSslEngine.setEnabledProtocols})
 * is reported, rewritten or refused, and its handshakes, established and failed, are reported once each, from the
 * public {@code wrap}/{@code unwrap} results (issue 11, item 5).
 */
class NettyTcnativeIT {
    private static LiveProcess legacyPeer;
    private static int legacyPeerPort;
    private static LiveProcess modernPeer;
    private static int modernPeerPort;

    /**
     * Two jsse-legacy servers on JDK 17, without tlsguard: one re-allowing TLS 1.0 and 1.1 (it accepts what the client
     * asks for), one with the JDK's default security (it refuses TLSv1.1 with a protocol_version alert).
     */
    @BeforeAll
    static void startPeers() throws Exception {
        Path dir = Files.createTempDirectory("tlsguard-tcnative-peers");
        legacyPeer = Jvm.on(Jdks.get("jdk17"))
                .legacySecurity()
                .jsseServer("socket", "none")
                .start(dir.resolve("legacy.err"));
        legacyPeerPort = legacyPeer.awaitListening();
        modernPeer = Jvm.on(Jdks.get("jdk17")).jsseServer("socket", "none").start(dir.resolve("modern.err"));
        modernPeerPort = modernPeer.awaitListening();
    }

    @AfterAll
    static void stopPeers() {
        if (legacyPeer != null) {
            legacyPeer.close();
        }
        if (modernPeer != null) {
            modernPeer.close();
        }
    }

    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void thePinIsHeldAndTheHandshakeReported(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = client(jdk, "mode=" + mode + ",report=" + report, legacyPeerPort);
        Report r = Report.read(report);

        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(run + "\n" + r).hasSize(1);
        JsonNode pin = pins.get(0);
        assertThat(text(pin, "tlsguard.api")).isEqualTo("SSLEngine.setEnabledProtocols");
        assertThat(pin.get("tlsguard.protocols.requested").toString()).isEqualTo("[\"TLSv1.1\"]");
        assertThat(text(pin, "code.namespace")).isEqualTo("io.netty.handler.ssl.ReferenceCountedOpenSslEngine");

        List<JsonNode> handshakes = r.named("tls.handshake");
        switch (mode) {
            case "report": // BoringSSL does not read jdk.tls.disabledAlgorithms: TLSv1.1 is negotiated, as without
                // tlsguard
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.1 ");
                assertThat(text(pin, "tlsguard.action")).isEqualTo("observed");
                assertThat(handshakes).as(r.toString()).hasSize(1); // once, though several overloads saw it end
                assertEstablished(handshakes.get(0), "1.1", false, run);
                break;
            case "enforce":
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
                assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten");
                assertThat(pin.get("tlsguard.protocols.applied").toString()).isEqualTo("[\"TLSv1.2\"]");
                assertThat(handshakes).as(r.toString()).hasSize(1);
                assertEstablished(handshakes.get(0), "1.2", true, run);
                break;
            default: // deny: the engine's constructor is refused, so no handshake ever starts
                assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL");
                assertThat(text(pin, "tlsguard.action")).isEqualTo("denied");
                assertThat(handshakes).as(r.toString()).isEmpty();
        }
        assertThat(r.summary().get("tlsguard.handshakes").size()).isEqualTo(handshakes.isEmpty() ? 0 : 1);
    }

    /** report changes nothing: without tlsguard the pin is negotiated too (BoringSSL ignores the JVM's security). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void withoutTlsguardTheLegacyPinIsNegotiated(Jdk jdk) throws Exception {
        Fork.Result run = Jvm.on(jdk)
                .args("-jar", sampleJar().toString(), String.valueOf(legacyPeerPort))
                .run();
        assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.1 TLS_");
    }

    /** A peer that refuses TLSv1.1: the failed handshake is reported with the alert BoringSSL received. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void aRefusedHandshakeIsReportedAsFailed(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = client(jdk, "mode=report,report=" + report, modernPeerPort);
        Report r = Report.read(report);
        assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL").contains("PROTOCOL_VERSION");
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        JsonNode e = handshakes.get(0);
        assertThat(e.get("tls.established").asBoolean()).isFalse();
        assertThat(text(e, "tlsguard.side")).isEqualTo("client");
        assertThat(text(e, "tlsguard.transport")).isEqualTo("SSLEngine");
        assertThat(text(e, "tlsguard.alert")).isEqualTo("protocol_version");
        assertThat(text(e, "error.type")).startsWith("io.netty.handler.ssl.ReferenceCountedOpenSslEngine$");
        assertThat(text(e, "exception.message")).contains("PROTOCOL_VERSION");
        assertThat(e.get("network.peer.port").asInt()).isEqualTo(modernPeerPort);
        assertThat(e.get("tlsguard.protocols.enabled").toString()).contains("\"TLSv1.1\"");
    }

    /**
     * An engine outside the JDK that wraps the JDK's (Netty's JDK provider with ALPN: {@code JdkAlpnSslEngine}) is
     * hooked too, but JSSE's own hooks see its handshakes: each is reported once, established (against the legacy
     * peer) and failed (the modern peer's protocol_version alert, thrown through the wrapper's unwrap). Without the
     * wrapper check both were reported twice.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void aWrapperAroundTheJdkEngineIsReportedOnce(Jdk jdk, @TempDir Path dir) throws Exception {
        for (boolean established : new boolean[] {true, false}) {
            Path report = dir.resolve("report-" + established + ".jsonl");
            int port = established ? legacyPeerPort : modernPeerPort;
            Fork.Result run = Jvm.on(jdk)
                    .agent("mode=report,report=" + report)
                    .legacySecurity()
                    .args("-jar", sampleJar().toString(), String.valueOf(port), "jdk-alpn")
                    .run();
            Report r = Report.read(report);
            List<JsonNode> handshakes = r.named("tls.handshake");
            assertThat(handshakes).as(run + "\n" + r).hasSize(1);
            JsonNode e = handshakes.get(0);
            assertThat(e.get("tls.established").asBoolean()).isEqualTo(established);
            if (established) {
                assertThat(run.stdout())
                        .as(run.toString())
                        .contains("ENGINE io.netty.handler.ssl.JdkAlpnSslEngine", "RESULT OK TLSv1.1 ");
                assertThat(text(e, "tls.protocol.version")).isEqualTo("1.1");
            } else {
                assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL", "protocol_version");
                assertThat(text(e, "tlsguard.alert")).isEqualTo("protocol_version");
            }
        }
    }

    private static void assertEstablished(JsonNode e, String version, boolean changed, Fork.Result run) {
        assertThat(e.get("tls.established").asBoolean()).as(e.toString()).isTrue();
        assertThat(text(e, "tlsguard.side")).isEqualTo("client");
        assertThat(text(e, "tlsguard.transport")).isEqualTo("SSLEngine");
        assertThat(text(e, "tls.protocol.version")).isEqualTo(version);
        // the cipher the application saw, in the session it was given
        assertThat(run.stdout()).contains(" " + text(e, "tls.cipher"));
        assertThat(text(e, "server.address")).isEqualTo("127.0.0.1");
        assertThat(e.get("server.port").asInt()).isEqualTo(legacyPeerPort);
        assertThat(e.get("network.peer.port").asInt()).isEqualTo(legacyPeerPort);
        assertThat(text(e, "tls.server.subject")).contains("O=tlsguard");
        assertThat(e.get("tlsguard.protocols.changed").asBoolean()).isEqualTo(changed);
    }

    private static Fork.Result client(Jdk jdk, String options, int port) throws Exception {
        return Jvm.on(jdk)
                .agent(options)
                .args("-jar", sampleJar().toString(), String.valueOf(port))
                .run();
    }

    private static Path sampleJar() {
        return Artifacts.sampleApp("netty-tcnative-legacy");
    }
}
