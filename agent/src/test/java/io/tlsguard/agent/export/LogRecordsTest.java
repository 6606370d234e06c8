package io.tlsguard.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapping of report lines to OTLP log records, checked by protobuf's strict parser on the official messages. */
class LogRecordsTest {
    static final String HANDSHAKE = "{\"event.name\":\"tls.handshake\",\"timestamp\":\"2026-12-01T21:49:17.123Z\","
            + "\"severity_text\":\"WARN\",\"severity_number\":13,\"service.name\":\"billing\","
            + "\"tls.protocol.version\":\"1\",\"server.port\":8443,\"tls.established\":false,"
            + "\"tlsguard.protocols.enabled\":[\"TLSv1\",\"TLSv1.1\"],\"ratio\":0.5,\"big\":123456789012345678901234,"
            + "\"tls.server.subject\":\"CN=\\\"x\\\" \\u00e9\",\"gone\":null}";
    static final String SUMMARY = "{\"event.name\":\"tlsguard.summary\",\"timestamp\":\"2026-12-01T21:49:18.000Z\","
            + "\"tlsguard.handshakes\":[{\"tlsguard.side\":\"client\",\"count\":3}],\"tlsguard.pins\":[]}";

    private static Map<String, Object> resource() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("service.name", "billing");
        r.put("process.pid", 4242L);
        r.put("process.command_args", List.of("java", "-jar", "b.jar"));
        r.put("flag", true);
        return r;
    }

    static ExportLogsServiceRequest parse(byte[] request) throws Exception {
        ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
        JsonFormat.parser().merge(new String(request, StandardCharsets.UTF_8), b); // strict: unknown fields fail
        return b.build();
    }

    private static ExportLogsServiceRequest map(String... lines) throws Exception {
        LogRecords records = new LogRecords(resource(), "1.2.3");
        List<byte[]> mapped = new ArrayList<>();
        for (String line : lines) {
            byte[] utf8 = ("xx" + line).getBytes(StandardCharsets.UTF_8); // at an offset, as the writer hands them
            mapped.add(records.record(utf8, 2, utf8.length - 2));
        }
        return parse(records.request(mapped));
    }

    static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
        Map<String, AnyValue> m = new LinkedHashMap<>();
        kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
        return m;
    }

    @Test
    void aHandshakeBecomesATypedLogRecordUnderTheJvmsResource() throws Exception {
        ExportLogsServiceRequest request = map(HANDSHAKE, SUMMARY);
        ResourceLogs rl = request.getResourceLogs(0);
        Map<String, AnyValue> resource = attributes(rl.getResource().getAttributesList());
        assertThat(resource.get("service.name").getStringValue()).isEqualTo("billing");
        assertThat(resource.get("process.pid").getIntValue()).isEqualTo(4242);
        assertThat(resource.get("process.command_args").getArrayValue().getValuesCount())
                .isEqualTo(3);
        assertThat(resource.get("flag").getBoolValue()).isTrue();
        assertThat(rl.getScopeLogs(0).getScope().getName()).isEqualTo("io.tlsguard");
        assertThat(rl.getScopeLogs(0).getScope().getVersion()).isEqualTo("1.2.3");

        List<LogRecord> records = rl.getScopeLogs(0).getLogRecordsList();
        assertThat(records).hasSize(2);
        LogRecord h = records.get(0);
        assertThat(h.getEventName()).isEqualTo("tls.handshake");
        assertThat(h.getTimeUnixNano()).isEqualTo(1_796_161_757_123_000_000L);
        assertThat(h.getObservedTimeUnixNano()).isEqualTo(h.getTimeUnixNano());
        assertThat(h.getSeverityNumberValue()).isEqualTo(13);
        assertThat(h.getSeverityText()).isEqualTo("WARN");
        Map<String, AnyValue> a = attributes(h.getAttributesList());
        assertThat(a).doesNotContainKeys("event.name", "timestamp", "severity_text", "severity_number", "gone");
        assertThat(a).as("the resource's keys stay on the resource").doesNotContainKey("service.name");
        assertThat(a.get("tls.protocol.version").getStringValue()).isEqualTo("1");
        assertThat(a.get("server.port").getIntValue()).isEqualTo(8443);
        assertThat(a.get("tls.established").hasBoolValue()).isTrue();
        assertThat(a.get("tls.established").getBoolValue()).isFalse();
        assertThat(a.get("ratio").getDoubleValue()).isEqualTo(0.5);
        assertThat(a.get("big").getDoubleValue()).isEqualTo(1.2345678901234568E23);
        assertThat(a.get("tls.server.subject").getStringValue()).isEqualTo("CN=\"x\" \u00e9");
        assertThat(a.get("tlsguard.protocols.enabled").getArrayValue().getValuesList())
                .extracting(AnyValue::getStringValue)
                .containsExactly("TLSv1", "TLSv1.1");

        LogRecord s = records.get(1);
        assertThat(s.getEventName()).isEqualTo("tlsguard.summary");
        assertThat(s.getSeverityNumberValue())
                .as("no severity in the line: unspecified")
                .isZero();
        AnyValue row = attributes(s.getAttributesList())
                .get("tlsguard.handshakes")
                .getArrayValue()
                .getValues(0);
        Map<String, AnyValue> fields = attributes(row.getKvlistValue().getValuesList());
        assertThat(fields.get("tlsguard.side").getStringValue()).isEqualTo("client");
        assertThat(fields.get("count").getIntValue()).isEqualTo(3);
        assertThat(attributes(s.getAttributesList())
                        .get("tlsguard.pins")
                        .getArrayValue()
                        .getValuesCount())
                .isZero();
    }

    @Test
    void int64IsWrittenAsAStringAndEnumsAsIntegers() throws Exception {
        LogRecords records = new LogRecords(resource(), "1");
        byte[] line = HANDSHAKE.getBytes(StandardCharsets.UTF_8);
        String json = new String(records.record(line, 0, line.length), StandardCharsets.UTF_8);
        assertThat(json).contains("\"timeUnixNano\":\"1796161757123000000\"");
        assertThat(json).contains("\"intValue\":\"8443\"");
        assertThat(json).contains("\"severityNumber\":13");
    }

    @Test
    void timestampsOtherThanTheReportsAreLeftToTheObservedTime() {
        assertThat(LogRecords.epochMillis("1970-01-01T00:00:00.000Z")).isZero();
        assertThat(LogRecords.epochMillis("2000-02-29T12:34:56.789Z")).isEqualTo(951_827_696_789L);
        assertThat(LogRecords.epochMillis("2026-12-01T21:49:17Z")).isEqualTo(-1);
        assertThat(LogRecords.epochMillis("2026-13-01T21:49:17.000Z")).isEqualTo(-1);
        assertThat(LogRecords.epochMillis("2026-1x-01T21:49:17.000Z")).isEqualTo(-1);
    }

    @Test
    void aLineThatIsNotAnObjectIsRefused() throws Exception {
        LogRecords records = new LogRecords(resource(), "1");
        byte[] line = "[1,2]".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> records.record(line, 0, line.length)).hasMessageContaining("not a JSON object");
    }
}
