package io.tlsguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Names from the network (SNI, certificates, exception messages) may hold anything: the line stays valid JSON. */
class HostileStringsTest {
    private static final String HOSTILE =
            "evil\"}, {\"event.name\":\"forged\"\n\r\t\u0000\u001f\\ \u2028 caf\u00e9 \uD83D\uDE00";

    @Test
    void quotesNewlinesAndControlCharactersStayInsideTheString() throws Exception {
        HandshakeEvent e = HandshakeEvent.builder()
                .client(true) // the peer is the server: its certificate goes under tls.server.*
                .serverName(HOSTILE)
                .peerSubject(HOSTILE)
                .errorMessage(HOSTILE)
                .enabledProtocols(new String[] {HOSTILE})
                .build();
        String line = write(e);
        assertThat(line).doesNotContain("\n").doesNotContain("\u0000");
        JsonNode parsed = new ObjectMapper().readTree(line);
        assertThat(parsed.get("tls.client.server_name").asText()).isEqualTo(HOSTILE);
        assertThat(parsed.get("tls.server.subject").asText()).isEqualTo(HOSTILE);
        assertThat(parsed.get("exception.message").asText()).isEqualTo(HOSTILE);
        assertThat(parsed.get("event.name").asText()).isEqualTo("tls.handshake");
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() throws Exception {
        HandshakeEvent e =
                HandshakeEvent.builder().serverName("a\uD800b\uDC00c").build();
        JsonNode parsed = new ObjectMapper().readTree(write(e));
        assertThat(parsed.get("tls.client.server_name").asText()).isEqualTo("a\uFFFDb\uFFFDc");
    }

    /** Long strings are cleaned once and remembered by identity: the same one twice, and a different one, both right. */
    @Test
    void longStringsAreCleanedTheSameWhenSeenAgain() throws Exception {
        String subject = "CN=a very long certificate subject \uD800 with a lone surrogate, O=tests";
        String other = new String("CN=a very long certificate subject \uD83D\uDE00 with a real pair, O=tests");
        for (int i = 0; i < 3; i++) {
            HandshakeEvent e = HandshakeEvent.builder()
                    .client(true)
                    .peerSubject(subject)
                    .peerIssuer(other)
                    .build();
            JsonNode parsed = new ObjectMapper().readTree(write(e));
            assertThat(parsed.get("tls.server.subject").asText())
                    .isEqualTo("CN=a very long certificate subject \uFFFD with a lone surrogate, O=tests");
            assertThat(parsed.get("tls.server.issuer").asText()).isEqualTo(other);
        }
    }

    @Test
    void namesFollowOpenTelemetry() {
        assertThat(Json.protocolVersion("TLSv1")).isEqualTo("1");
        assertThat(Json.protocolVersion("TLSv1.3")).isEqualTo("1.3");
        assertThat(Json.protocolVersion("SSLv3")).isEqualTo("3");
        assertThat(Json.protocolName("TLSv1.2")).isEqualTo("tls");
        assertThat(Json.protocolName("SSLv3")).isEqualTo("ssl");
        assertThat(Json.ianaCipher("SSL_RSA_WITH_3DES_EDE_CBC_SHA")).isEqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(Json.ianaCipher("TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
    }

    @Test
    void timestampsAreIsoUtcWithMilliseconds() {
        assertThat(Json.iso(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Json.iso(4_889_000_395_007L)).isEqualTo("2124-12-04T15:39:55.007Z");
        assertThat(Json.iso(1_795_462_837_904L)).isEqualTo("2026-11-23T19:40:37.904Z");
        assertThat(Json.iso(4_889_000_395_999L)).isEqualTo("2124-12-04T15:39:55.999Z");
        assertThat(Json.iso(-1L)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(Json.iso(253_402_300_799_999L)).isEqualTo("9999-12-31T23:59:59.999Z"); // "no expiry" certificates
    }

    @Test
    void timestampsAgreeWithJavaTimeOverFiveCenturies() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern(
                        "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-2_208_988_800_000L, 16_725_225_600_000L); // 1900 to 2500
            assertThat(Json.iso(millis)).as("%d", millis).isEqualTo(iso.format(java.time.Instant.ofEpochMilli(millis)));
        }
    }

    private static String write(Event e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            e.write(json, Resource.of(null, "1", null, null, null, null, null, null));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
