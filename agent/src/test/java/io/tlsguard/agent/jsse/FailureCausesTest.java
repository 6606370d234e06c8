package io.tlsguard.agent.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.agent.report.FailureCause;
import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinOrigin;
import java.security.Security;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cause a failed handshake gets, from what JSSE said and the JVM's settings. */
class FailureCausesTest {
    private static final String NO_PROTOCOL =
            "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)";
    private String disabledBefore;

    @BeforeEach
    void defaultSecurity() {
        disabledBefore = Security.getProperty(FailureCauses.DISABLED_ALGORITHMS);
        Security.setProperty(
                FailureCauses.DISABLED_ALGORITHMS, "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, DH keySize < 1024");
    }

    @AfterEach
    void restore() {
        Security.setProperty(FailureCauses.DISABLED_ALGORITHMS, disabledBefore == null ? "" : disabledBefore);
    }

    private static HandshakeEvent.Builder failed(String alert, String message, String... enabled) {
        return HandshakeEvent.builder()
                .established(false)
                .alert(alert)
                .errorMessage(message)
                .enabledProtocols(enabled);
    }

    @Test
    void pinnedBelowTheJvmFloor() {
        PinOrigin pin = new PinOrigin("SSLEngine.setEnabledProtocols", new String[] {"TLSv1"}, null);
        HandshakeEvent e = explain(failed("handshake_failure", NO_PROTOCOL, "TLSv1"), NO_PROTOCOL, pin);
        assertThat(e.failureCause).isEqualTo(FailureCause.PIN_BELOW_JVM_FLOOR);
        assertThat(e.jvmSetting).isEqualTo("jdk.tls.disabledAlgorithms");
        assertThat(e.disabledProtocols).containsExactly("TLSv1");
        assertThat(e.failurePin).isSameAs(pin);
    }

    @Test
    void withoutAPinTheJvmSettingAlone() {
        String server = "Client requested protocol TLSv1 is not enabled or supported in server context";
        HandshakeEvent e = explain(failed("protocol_version", server, "TLSv1.3", "TLSv1.2"), server, null);
        assertThat(e.failureCause).isEqualTo(FailureCause.JVM_DISABLED_PROTOCOL);
        assertThat(e.disabledProtocols).containsExactly("TLSv1");
    }

    @Test
    void aJvmThatAllowsTheProtocolIsNotBlamed() {
        Security.setProperty(FailureCauses.DISABLED_ALGORITHMS, "SSLv3, RC4");
        HandshakeEvent e = explain(failed("handshake_failure", NO_PROTOCOL, "TLSv1"), NO_PROTOCOL, null);
        assertThat(e.failureCause).isEqualTo(FailureCause.PROTOCOL_MISMATCH);
        assertThat(e.jvmSetting).isNull();
    }

    @Test
    void thePeersAlert() {
        String received = "Received fatal alert: protocol_version";
        HandshakeEvent e = explain(failed("protocol_version", received, "TLSv1"), received, null);
        assertThat(e.failureCause).isEqualTo(FailureCause.PEER_ALERT);
    }

    @Test
    void tlsguardsFloorBeforeThePeer() {
        String received = "Received fatal alert: protocol_version";
        HandshakeEvent.Builder b =
                failed("protocol_version", received, "TLSv1.2").protocolsChanged(true);
        assertThat(explain(b, received, null).failureCause).isEqualTo(FailureCause.TLSGUARD_FLOOR);
    }

    @Test
    void closingInboundMidHandshakeIsAbandoning() {
        String closing = "closing inbound before receiving peer's close_notify";
        assertThat(explain(failed("internal_error", closing, "TLSv1.3"), closing, null).failureCause)
                .isEqualTo(FailureCause.ABANDONED);
    }

    @Test
    void anythingElse() {
        String pkix = "PKIX path building failed";
        assertThat(explain(failed("certificate_unknown", pkix, "TLSv1.3"), pkix, null).failureCause)
                .isEqualTo(FailureCause.OTHER);
    }

    @Test
    void aPropertyPinOnlyWhereItIsTheConnectionsList() {
        PinOrigin property = new PinOrigin("system property jdk.tls.client.protocols", new String[] {"TLSv1"}, null);
        HandshakeEvent own = explain(failed("handshake_failure", NO_PROTOCOL, "TLSv1.1"), NO_PROTOCOL, property);
        assertThat(own.failurePin).isNull();
        HandshakeEvent same = explain(failed("handshake_failure", NO_PROTOCOL, "TLSv1"), NO_PROTOCOL, property);
        assertThat(same.failurePin).isSameAs(property);
        assertThat(same.failureCause).isEqualTo(FailureCause.PIN_BELOW_JVM_FLOOR);
    }

    private static HandshakeEvent explain(HandshakeEvent.Builder b, String diagnostic, PinOrigin pin) {
        FailureCauses.explain(b, diagnostic, pin);
        return b.build();
    }
}
