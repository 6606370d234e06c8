package io.tlsguard.agent.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The alert a failed OpenSSL/BoringSSL handshake names, as the report names JSSE's alerts. */
class EngineHandshakesTest {
    @Test
    void boringSslAlertsBecomeTheirTlsNames() {
        assertThat(EngineHandshakes.openSslAlert(
                        "error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION"))
                .isEqualTo("protocol_version");
        assertThat(EngineHandshakes.openSslAlert(
                        "error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE"))
                .isEqualTo("handshake_failure");
    }

    @Test
    void otherMessagesNameNoAlert() {
        assertThat(EngineHandshakes.openSslAlert(null)).isNull();
        assertThat(EngineHandshakes.openSslAlert("error:10000066:SSL routines:OPENSSL_internal:BAD_ALERT"))
                .isNull();
        assertThat(EngineHandshakes.openSslAlert("Received fatal alert: protocol_version"))
                .isNull();
        assertThat(EngineHandshakes.openSslAlert("x_ALERT_: y")).isNull();
    }
}
