package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.PeerServer;
import io.tlsguard.testsupport.Report;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evidence behind enforce's default {@code rewrite=floor}: a hand-written NIO HTTP/1.0 client on an SSLEngine
 * (sample-apps/nio-legacy) pinned to {@code {"TLSv1"}}, which completes a TLS close the TLS 1.2 way (it follows the
 * engine until its outbound side is done and never closes it itself). Its peer answers and then closes the way a
 * TLS 1.3 server may: a close_notify alone, a half-close (jsse-legacy's {@code engine} server; a JDK SSLSocket's
 * {@code close()} adds user_canceled, which makes the JDK engine close its side too and hides the problem).
 * Rewritten to the floor, {@code {"TLSv1.2"}}, the client works; rewritten to {@code {"TLSv1.3","TLSv1.2"}}
 * ({@code rewrite=floor-and-above}) it negotiates TLS 1.3 and waits for a close that never comes, until its own
 * 8 s timeout.
 */
class RewriteFloorIT {
    private static final String HUNG = "RESULT FAIL java.net.SocketTimeoutException: no complete answer within 8000 ms"
            + " while completing the TLS close (TLSv1.3";

    /** jsse-legacy's engine server on JDK 17 without tlsguard, default security (TLS 1.3 and 1.2). */
    @RegisterExtension
    static final PeerServer halfClosingPeer =
            new PeerServer(() -> Jvm.on(Jdks.get("jdk17")).jsseServer("engine", "none"));

    /** Without tlsguard, under the JDK's default security, the TLSv1 pin leaves the engine nothing to offer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void withoutTlsguardThePinFails(Jdk jdk) throws Exception {
        Fork.Result run = Jvm.on(jdk)
                .args("-jar", sampleJar().toString(), String.valueOf(halfClosingPeer.port()))
                .run();
        assertThat(run.stdout())
                .as(run.toString())
                .startsWith("RESULT FAIL javax.net.ssl.SSLHandshakeException: No appropriate protocol");
        assertThat(run.exit()).isEqualTo(1);
    }

    /** enforce, default rewrite=floor: the pin becomes {"TLSv1.2"} and the client works. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void enforceRewritesThePinToTheFloorAndTheClientWorks(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = client(jdk, "mode=enforce,report=" + report);
        Report r = Report.read(report);
        assertThat(run.stdout()).as(run.toString()).startsWith("RESULT OK TLSv1.2 ");
        assertThat(run.exit()).isZero();
        assertPinRewritten(r, run, "[\"TLSv1.2\"]");
        assertEstablished(r, run, "1.2");
    }

    /**
     * enforce,rewrite=floor-and-above: the pin becomes {"TLSv1.3","TLSv1.2"}, TLS 1.3 is negotiated, and the client
     * hangs on the half-close until its own timeout. The handshake itself is fine: the break is after it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void floorAndAboveNegotiatesTls13AndTheClientHangsOnTheClose(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = client(jdk, "mode=enforce,rewrite=floor-and-above,report=" + report);
        Report r = Report.read(report);
        assertThat(run.stdout()).as(run.toString()).startsWith(HUNG);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.millis()).as(run.toString()).isGreaterThanOrEqualTo(8_000);
        assertPinRewritten(r, run, "[\"TLSv1.3\",\"TLSv1.2\"]");
        assertEstablished(r, run, "1.3");
    }

    private static void assertPinRewritten(Report r, Fork.Result run, String applied) {
        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(run + "\n" + r).hasSize(1);
        JsonNode pin = pins.get(0);
        assertThat(text(pin, "tlsguard.api")).isEqualTo("SSLEngine.setEnabledProtocols");
        assertThat(pin.get("tlsguard.protocols.requested").toString()).isEqualTo("[\"TLSv1\"]");
        assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten");
        assertThat(pin.get("tlsguard.protocols.applied").toString()).isEqualTo(applied);
        assertThat(text(pin, "code.namespace")).isEqualTo("io.tlsguard.samples.nio.LegacyNioClient");
    }

    private static void assertEstablished(Report r, Fork.Result run, String version) {
        List<JsonNode> handshakes = r.named("tls.handshake");
        assertThat(handshakes).as(run + "\n" + r).hasSize(1);
        JsonNode e = handshakes.get(0);
        assertThat(e.get("tls.established").asBoolean()).as(e.toString()).isTrue();
        assertThat(text(e, "tlsguard.side")).isEqualTo("client");
        assertThat(text(e, "tlsguard.transport")).isEqualTo("SSLEngine");
        assertThat(text(e, "tls.protocol.version")).isEqualTo(version);
        assertThat(e.get("network.peer.port").asInt()).isEqualTo(halfClosingPeer.port());
        assertThat(e.get("tlsguard.protocols.changed").asBoolean()).isTrue();
    }

    private static Fork.Result client(Jdk jdk, String options) throws Exception {
        return Jvm.on(jdk)
                .agent(options)
                .args("-jar", sampleJar().toString(), String.valueOf(halfClosingPeer.port()))
                .run();
    }

    private static Path sampleJar() {
        return Artifacts.sampleApp("nio-legacy");
    }
}
