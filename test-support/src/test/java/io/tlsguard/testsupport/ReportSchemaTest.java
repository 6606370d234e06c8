package io.tlsguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema check the integration tests rely on rejects what docs/report.schema.json forbids: it can fail. */
class ReportSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode handshake() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"event.name":"tls.handshake","timestamp":"2026-12-01T16:00:00.000Z",
                 "service.name":"billing","deployment.environment":"prod","host.name":"web-1","process.pid":42,
                 "process.runtime.name":"OpenJDK Runtime Environment","process.runtime.version":"17.0.9+9",
                 "process.command":"com.example.Main","severity_text":"INFO","severity_number":9,"tls.established":true,
                 "tlsguard.side":"client","tls.protocol.name":"tls","tls.protocol.version":"1.3","server.port":443,
                 "tlsguard.protocols.enabled":["TLSv1.3","TLSv1.2"],"tlsguard.protocols.changed":false,
                 "tlsguard.mode":"report","tlsguard.floor":"TLSv1.2","thread.name":"main","thread.id":1}""");
    }

    static ObjectNode pin() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"event.name":"tlsguard.protocol_pin","timestamp":"2026-12-01T16:00:00.000Z",
                 "service.name":"billing","deployment.environment":"prod","host.name":"web-1","process.pid":42,
                 "process.runtime.name":"OpenJDK Runtime Environment","process.runtime.version":"17.0.9+9",
                 "process.command":"com.example.Main","severity_text":"WARN","severity_number":13,
                 "tlsguard.api":"SSLContext.getInstance","tlsguard.protocols.requested":["TLSv1"],
                 "tlsguard.protocols.applied":["TLSv1.2"],"tlsguard.action":"rewritten","tlsguard.pin.occurrence":1}""");
    }

    static ObjectNode summary() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"event.name":"tlsguard.summary","timestamp":"2026-12-01T16:00:00.000Z",
                 "service.name":"billing","deployment.environment":"prod","host.name":"web-1","process.pid":42,
                 "process.runtime.name":"OpenJDK Runtime Environment","process.runtime.version":"17.0.9+9",
                 "process.command":"com.example.Main","severity_text":"INFO","severity_number":9,"tlsguard.mode":"enforce",
                 "tlsguard.floor":"TLSv1.2","tlsguard.handshakes":[],"tlsguard.pins":[],"tlsguard.libraries":[],
                 "tlsguard.events.written":2,"tlsguard.events.dropped":0}""");
    }

    @Test
    void documentedLinesPass() throws Exception {
        for (ObjectNode line : List.of(handshake(), pin(), summary())) {
            assertThat(ReportSchema.violations(line)).as("%s", line).isEmpty();
        }
    }

    @Test
    void aMissingRequiredFieldFails() throws Exception {
        ObjectNode line = handshake();
        line.remove("thread.id");
        assertThatThrownBy(() -> ReportSchema.check(line))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("violates docs/report.schema.json")
                .hasMessageContaining("thread.id");
    }

    @Test
    void aWrongTypeFails() throws Exception {
        ObjectNode line = handshake();
        line.put("thread.id", "1");
        assertThatThrownBy(() -> ReportSchema.check(line))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("thread.id");
        ObjectNode pin = pin();
        pin.put("tlsguard.protocols.applied", "TLSv1.2");
        assertThat(ReportSchema.violations(pin)).isNotEmpty();
    }

    @Test
    void valuesOutsideTheDocumentFail() throws Exception {
        ObjectNode undocumented = summary();
        undocumented.put("tlsguard.secret", "x");
        ObjectNode badMode = summary();
        badMode.put("tlsguard.mode", "loose");
        ObjectNode badTime = pin();
        badTime.put("timestamp", "yesterday");
        ObjectNode badPort = handshake();
        badPort.put("server.port", 70000);
        ObjectNode unknownEvent = summary();
        unknownEvent.put("event.name", "tlsguard.other");
        for (ObjectNode line : List.of(undocumented, badMode, badTime, badPort, unknownEvent)) {
            assertThat(ReportSchema.violations(line)).as("%s", line).isNotEmpty();
        }
    }

    /** Every line says who wrote it and how much it matters; OTEL_RESOURCE_ATTRIBUTES pairs are strings. */
    @Test
    void theIdentityAndSeverityAreRequiredAndChecked() throws Exception {
        for (String field : List.of("service.name", "host.name", "process.pid", "severity_text", "severity_number")) {
            for (ObjectNode line : List.of(handshake(), pin(), summary())) {
                line.remove(field);
                assertThat(ReportSchema.violations(line))
                        .as("%s without %s", line, field)
                        .isNotEmpty();
            }
        }
        ObjectNode attribute = handshake();
        attribute.put("k8s.pod.name", "billing-7d9f");
        assertThat(ReportSchema.violations(attribute)).isEmpty();
        ObjectNode numberAttribute = handshake();
        numberAttribute.put("k8s.pod.name", 7);
        ObjectNode ownNamespace = handshake();
        ownNamespace.put("tlsguard.typo", "x");
        ObjectNode pinAsInfo = pin();
        pinAsInfo.put("severity_text", "INFO");
        ObjectNode badSeverity = handshake();
        badSeverity.put("severity_number", 10);
        ObjectNode pidAsText = summary();
        pidAsText.put("process.pid", "42");
        for (ObjectNode line : List.of(numberAttribute, ownNamespace, pinAsInfo, badSeverity, pidAsText)) {
            assertThat(ReportSchema.violations(line)).as("%s", line).isNotEmpty();
        }
    }

    @Test
    void theReportReaderFailsOnALineThatBreaksTheSchema(@TempDir Path dir) throws Exception {
        ObjectNode broken = pin();
        broken.remove("tlsguard.action");
        Path report = Files.writeString(dir.resolve("r.jsonl"), summary() + "\n" + broken + "\n");
        assertThatThrownBy(() -> Report.read(report))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("tlsguard.action");
        Path good = Files.writeString(dir.resolve("good.jsonl"), handshake() + "\n" + pin() + "\n" + summary() + "\n");
        assertThat(Report.read(good).all()).hasSize(3);
    }
}
