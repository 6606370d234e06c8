package io.tlsguard.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** otlp=URL and otlp=env, as the OpenTelemetry exporter specification reads the OTEL_EXPORTER_OTLP_* variables. */
class OtlpEndpointTest {
    @Test
    void anOptionUrlIsABaseUrl() {
        OtlpEndpoint e = OtlpEndpoint.of("http://collector:4318", Map.of());
        assertThat(e.url().toString()).isEqualTo("http://collector:4318/v1/logs");
        assertThat(OtlpEndpoint.of("https://c.example/otlp/", Map.of()).url().toString())
                .isEqualTo("https://c.example/otlp/v1/logs");
        assertThat(e.headers()).isEmpty();
        assertThat(e.timeoutMillis()).isEqualTo(10_000);
        assertThat(e.https()).isFalse();
    }

    @Test
    void envWithoutVariablesIsTheDefaultLocalCollector() {
        assertThat(OtlpEndpoint.of("env", Map.of()).url().toString()).isEqualTo("http://localhost:4318/v1/logs");
    }

    @Test
    void theLogsEndpointIsUsedAsIsAndWinsOverTheBase() {
        OtlpEndpoint e = OtlpEndpoint.of(
                "env",
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318",
                        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://logs:9999/custom/path"));
        assertThat(e.url().toString()).isEqualTo("https://logs:9999/custom/path");
        assertThat(OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318/"))
                        .url()
                        .toString())
                .isEqualTo("http://base:4318/v1/logs");
    }

    @Test
    void headersArePercentDecodedAndTheLogsOnesWin() {
        OtlpEndpoint e = OtlpEndpoint.of(
                "env",
                Map.of(
                        "OTEL_EXPORTER_OTLP_HEADERS", "api-key=general",
                        "OTEL_EXPORTER_OTLP_LOGS_HEADERS", " Authorization = Bearer%20a+b%3D%3D , x-tenant=t1,"));
        assertThat(e.headers())
                .containsExactly(Map.entry("Authorization", "Bearer a+b=="), Map.entry("x-tenant", "t1"));
        assertThat(OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=general"))
                        .headers())
                .containsExactly(Map.entry("api-key", "general"));
    }

    @Test
    void aBadHeaderIsRefusedWithoutShowingItsValue() {
        assertThatThrownBy(() -> OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue-secret123")))
                .hasMessage("OTEL_EXPORTER_OTLP_HEADERS: entry 1 is not key=value");
        assertThatThrownBy(() -> OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "k=secret%zz")))
                .hasMessage("OTEL_EXPORTER_OTLP_HEADERS: the value of k is not valid")
                .message()
                .doesNotContain("secret");
        assertThatThrownBy(() -> OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "k=a%0d%0aX: y")))
                .hasMessageContaining("not valid");
    }

    @Test
    void theTimeoutIsInMillisecondsAndTheLogsOneWins() {
        assertThat(OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "2500"))
                        .timeoutMillis())
                .isEqualTo(2500);
        assertThat(OtlpEndpoint.of(
                                "env",
                                Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "2500", "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "300"))
                        .timeoutMillis())
                .isEqualTo(300);
        assertThatThrownBy(() -> OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")))
                .hasMessage("OTEL_EXPORTER_OTLP_TIMEOUT=10s is not a positive number of milliseconds");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedAndCredentialsAreNeverShown() {
        assertThatThrownBy(() -> OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "grpc://c:4317")))
                .hasMessageContaining("is not an http:// or https:// URL");
        OtlpEndpoint e = OtlpEndpoint.of("https://user:pass@collector:4318", Map.of());
        assertThat(e.toString()).isEqualTo("https://collector:4318/v1/logs");
        assertThatThrownBy(() -> OtlpEndpoint.of("env", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://u:secret@h")))
                .message()
                .doesNotContain("secret");
    }
}
