package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handshake report: every handshake, both sides, SSLSocket and SSLEngine, TLS 1.2 and 1.3, full and
 * resumed, successes and failures, with the fields the report promises.
 */
class HandshakeReportIT {
    static final List<String> MODERN =
            List.of("tls12-socket", "tls13-socket", "tls12-engine", "tls13-engine", "resume-tls12", "resume-tls13");

    static Stream<Arguments> jdksAndServers() {
        return Jdks.all().flatMap(jdk -> Stream.of("socket", "engine").map(server -> Arguments.of(jdk, server)));
    }

    @ParameterizedTest(name = "{0} {1} server")
    @MethodSource("jdksAndServers")
    void everyHandshakeIsReported(Jdk jdk, String server, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        List<String> args = new java.util.ArrayList<>(List.of("suite"));
        if (server.equals("engine")) {
            args.add("--engine");
        }
        args.addAll(MODERN);
        Fork.Result run = Jvm.on(jdk)
                .agent("report=" + report)
                .jsseSample(args.toArray(String[]::new))
                .run();
        assertThat(run.exit()).as(run.toString()).isZero();
        Report r = Report.read(report);

        for (String scenario : MODERN) {
            String version = scenario.contains("13") ? "1.3" : "1.2";
            int connections = scenario.startsWith("resume") ? 2 : 1;
            List<JsonNode> client = r.handshakes("scenario-" + scenario, "client");
            assertThat(client).as(scenario + " client handshakes\n" + r).hasSize(connections);
            for (JsonNode e : client) {
                assertThat(e.get("tls.established").asBoolean()).isTrue();
                assertThat(text(e, "tls.protocol.name")).isEqualTo("tls");
                assertThat(text(e, "tls.protocol.version")).isEqualTo(version);
                assertThat(text(e, "tls.cipher")).startsWith("TLS_");
                assertThat(text(e, "server.address")).isEqualTo("127.0.0.1");
                assertThat(e.get("server.port").asInt()).isPositive();
                assertThat(text(e, "tls.server.subject"))
                        .isEqualTo("CN=tlsguard test \\\"server\\\" \\\\ \\<x\\>,O=tlsguard\\, tests");
                assertThat(text(e, "tls.server.issuer")).isEqualTo(text(e, "tls.server.subject"));
                assertThat(text(e, "tls.server.not_after")).isEqualTo("2126-10-30T18:39:55.000Z");
                assertThat(text(e, "tlsguard.transport"))
                        .isEqualTo(scenario.contains("engine") ? "SSLEngine" : "SSLSocket");
                assertThat(e.get("tlsguard.protocols.enabled").toString()).contains("TLSv1." + version.substring(2));
                assertThat(e.get("tlsguard.protocols.changed").asBoolean()).isFalse();
                assertThat(text(e, "timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                if (!(version.equals("1.2")
                        && e.get("tls.resumed").asBoolean())) { // a resumed 1.2 handshake exchanges no key
                    assertThat(text(e, "tls.curve")).as(e.toString()).isNotBlank();
                }
            }
            if (scenario.startsWith("resume")) {
                assertThat(client.get(0).get("tls.resumed").asBoolean()).isFalse();
                assertThat(client.get(1).get("tls.resumed").asBoolean())
                        .as("second connection resumes\n" + r)
                        .isTrue();
            }
        }
        // the server side of every connection, full and resumed, TLS 1.2 included
        List<JsonNode> serverSide = r.where(
                e -> "tls.handshake".equals(text(e, "event.name")) && "server".equals(text(e, "tlsguard.side")));
        assertThat(serverSide).as(r.toString()).hasSize(8);
        assertThat(serverSide).allSatisfy(e -> {
            assertThat(e.get("tls.established").asBoolean()).isTrue();
            assertThat(text(e, "tlsguard.transport")).isEqualTo(server.equals("engine") ? "SSLEngine" : "SSLSocket");
        });
        assertThat(serverSide.stream().filter(e -> "1.2".equals(text(e, "tls.protocol.version"))))
                .hasSize(4);
        assertThat(serverSide.stream().filter(e -> e.get("tls.resumed").asBoolean()))
                .hasSize(2);

        JsonNode summary = r.summary();
        long counted = 0;
        for (JsonNode h : summary.get("tlsguard.handshakes")) {
            counted += h.get("count").asLong();
        }
        assertThat(counted).isEqualTo(16);
        assertThat(summary.get("tlsguard.events.written").asLong())
                .isEqualTo(r.all().size());
        assertThat(summary.get("tlsguard.events.dropped").asLong()).isZero();
    }

    /**
     * A TLSv1-pinned program on a JVM that disables TLSv1 (the default of JDK 8u291+ and 11+) fails with
     * "No appropriate protocol"; report mode records that failure, enforce makes it negotiate TLS 1.2+.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void pinnedProgramFailsByDefaultAndWorksUnderEnforce(Jdk jdk, @TempDir Path dir) throws Exception {
        Path reported = dir.resolve("report.jsonl");
        Fork.Result report = Jvm.on(jdk)
                .agent("report=" + reported)
                .jsseSample("suite", "ctx-tlsv1", "engine-enabled")
                .run();
        assertThat(report.scenario("ctx-tlsv1")).as(report.toString()).contains("No appropriate protocol");
        Report r = Report.read(reported);
        for (String scenario : List.of("ctx-tlsv1", "engine-enabled")) {
            List<JsonNode> failed = r.handshakes("scenario-" + scenario, "client");
            assertThat(failed).as(scenario + "\n" + r).isNotEmpty();
            assertThat(failed.get(0).get("tls.established").asBoolean()).isFalse();
            assertThat(text(failed.get(0), "exception.message")).contains("No appropriate protocol");
            assertThat(text(failed.get(0), "error.type")).isEqualTo("javax.net.ssl.SSLHandshakeException");
        }

        Path enforced = dir.resolve("enforce.jsonl");
        Fork.Result enforce = Jvm.on(jdk)
                .agent("mode=enforce,report=" + enforced)
                .jsseSample("suite", "ctx-tlsv1", "engine-enabled")
                .run();
        assertThat(enforce.negotiated("ctx-tlsv1")).as(enforce.toString()).isEqualTo("TLSv1.2");
        // a legacy-only pin becomes the floor itself by default (issue 11): TLSv1.2, not TLSv1.3
        assertThat(enforce.negotiated("engine-enabled")).as(enforce.toString()).isEqualTo("TLSv1.2");
        Report e = Report.read(enforced);
        assertThat(e.handshakes("scenario-engine-enabled", "client")
                        .get(0)
                        .get("tlsguard.protocols.changed")
                        .asBoolean())
                .isTrue();

        // the other choice: the floor and what the engine supports above it
        Path raised = dir.resolve("raised.jsonl");
        Fork.Result up = Jvm.on(jdk)
                .agent("mode=enforce,rewrite=floor-and-above,report=" + raised)
                .jsseSample("suite", "ctx-tlsv1", "engine-enabled")
                .run();
        assertThat(up.negotiated("ctx-tlsv1")).as(up.toString()).isEqualTo("TLSv1.2");
        assertThat(up.negotiated("engine-enabled")).as(up.toString()).isEqualTo("TLSv1.3");
        assertThat(Report.read(raised)
                        .pins("scenario-engine-enabled")
                        .get(0)
                        .get("tlsguard.protocols.applied")
                        .toString())
                .isEqualTo("[\"TLSv1.3\",\"TLSv1.2\"]");
    }

    /** min=TLSv1.3: TLSv1.2 is legacy too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void floorTls13(Jdk jdk, @TempDir Path dir) throws Exception {
        Path reported = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=enforce,min=TLSv1.3,report=" + reported)
                .jsseSample("suite", "tls12-socket", "tls12-engine", "ctx-tlsv1")
                .run();
        assertThat(run.negotiated("tls12-socket")).as(run.toString()).isEqualTo("TLSv1.3");
        assertThat(run.negotiated("tls12-engine")).as(run.toString()).isEqualTo("TLSv1.3");
        assertThat(run.negotiated("ctx-tlsv1")).as(run.toString()).isEqualTo("TLSv1.3");
        assertThat(Report.read(reported).named("tls.handshake"))
                .allSatisfy(e -> assertThat(text(e, "tls.protocol.version")).isEqualTo("1.3"));
    }
}
