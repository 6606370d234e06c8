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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The floor is about what is negotiated, not only what was called: a program that never pinned anything,
 * on a JVM whose security configuration re-allows TLSv1, talks to a peer that speaks only TLSv1 (a JVM
 * without tlsguard). Report mode sees TLSv1 negotiated; enforce and deny refuse the handshake, and the
 * failure event says why. The same for a server facing a TLSv1-only client.
 */
class LegacyPeerIT {

    /** A TLSv1-only server: jsse-legacy on JDK 17 without tlsguard, legacy-allowing security. */
    @RegisterExtension
    static final PeerServer peer =
            new PeerServer(() -> Jvm.on(Jdks.get("jdk17")).legacySecurity().jsseServer("socket", "enabled:TLSv1"));

    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void unpinnedClientAgainstTlsv1OnlyServer(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .legacySecurity()
                .jsseSample("client", String.valueOf(peer.port()), "unpinned-socket", "unpinned-engine")
                .run();
        Report r = Report.read(report);
        for (String scenario : List.of("unpinned-socket", "unpinned-engine")) {
            List<JsonNode> client = r.handshakes("scenario-" + scenario, "client");
            assertThat(client).as(scenario + "\n" + run + r).isNotEmpty();
            JsonNode e = client.get(0);
            if (mode.equals("report")) {
                assertThat(run.negotiated(scenario)).as(run.toString()).isEqualTo("TLSv1");
                assertThat(text(e, "tls.protocol.version")).isEqualTo("1");
                assertThat(e.get("tls.established").asBoolean()).isTrue();
            } else {
                assertThat(run.scenario(scenario))
                        .as(run.toString())
                        .startsWith("FAIL javax.net.ssl.SSLHandshakeException");
                assertThat(e.get("tls.established").asBoolean()).isFalse();
                assertThat(e.get("tlsguard.protocols.changed").asBoolean()).isTrue();
                assertThat(e.get("tlsguard.protocols.enabled").toString()).doesNotContain("\"TLSv1\"", "\"TLSv1.1\"");
                assertThat(text(e, "exception.message"))
                        .as(e.toString())
                        .containsAnyOf("protocol_version", "protocol version", "TLS10");
                assertThat(text(e, "tlsguard.mode")).isEqualTo(mode);
                assertThat(text(e, "tlsguard.failure.cause")).as(e.toString()).isEqualTo("tlsguard_floor");
            }
        }
    }

    /** A tlsguard-guarded server, never pinned, facing a client that offers only TLSv1 (no tlsguard). */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void unpinnedServerAgainstTlsv1OnlyClient(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        LiveProcess server = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .legacySecurity()
                .jsseServer("socket", "none")
                .start(dir.resolve("err"));
        try {
            int port = server.awaitListening();
            Fork.Result client = Jvm.on(Jdks.get("jdk17"))
                    .legacySecurity()
                    .jsseSample("client", String.valueOf(port), "ctx-tlsv1")
                    .run();
            if (mode.equals("report")) {
                assertThat(client.negotiated("ctx-tlsv1")).as(client.toString()).isEqualTo("TLSv1");
            } else {
                assertThat(client.scenario("ctx-tlsv1")).as(client.toString()).startsWith("FAIL");
            }
        } finally {
            server.stop(Duration.ofSeconds(20)); // SIGTERM: shutdown hooks run, the summary is written
        }
        Report r = Report.read(report);
        List<JsonNode> serverSide = r.where(e -> "tls.handshake".equals(text(e, "event.name")));
        assertThat(serverSide).as(r.toString()).hasSize(1);
        JsonNode e = serverSide.get(0);
        assertThat(text(e, "tlsguard.side")).isEqualTo("server");
        assertThat(text(e, "client.address")).isEqualTo("127.0.0.1");
        if (mode.equals("report")) {
            assertThat(text(e, "tls.protocol.version")).isEqualTo("1");
        } else {
            assertThat(e.get("tls.established").asBoolean()).isFalse();
            assertThat(text(e, "exception.message")).as(e.toString()).contains("TLSv1");
            assertThat(e.get("tlsguard.protocols.changed").asBoolean()).isTrue();
            assertThat(text(e, "tlsguard.failure.cause")).as(e.toString()).isEqualTo("tlsguard_floor");
        }
        r.summary();
    }
}
