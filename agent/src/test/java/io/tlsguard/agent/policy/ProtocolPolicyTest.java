package io.tlsguard.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.contract.Mode;
import io.tlsguard.contract.Rewrite;
import org.junit.jupiter.api.Test;

class ProtocolPolicyTest {
    private final ProtocolPolicy tls12 = new ProtocolPolicy(Mode.ENFORCE, "TLSv1.2");
    private final ProtocolPolicy tls13 = new ProtocolPolicy(Mode.ENFORCE, "TLSv1.3");

    @Test
    void belowTheFloorIsCaseInsensitiveAndLeavesUnknownNamesAlone() {
        assertThat(tls12.belowFloor("tlsv1")).isTrue();
        assertThat(tls12.belowFloor("SSL")).isTrue();
        assertThat(tls12.belowFloor("SSLv2Hello")).isTrue();
        assertThat(tls12.belowFloor("TLSv1.1")).isTrue();
        assertThat(tls12.belowFloor("TLSv1.2")).isFalse();
        assertThat(tls12.belowFloor("TLS")).isFalse();
        assertThat(tls12.belowFloor("Default")).isFalse();
        assertThat(tls12.belowFloor("GMSSLv1.1")).isFalse();
        assertThat(tls13.belowFloor("TLSv1.2")).isTrue();
        assertThat(tls12.constantBelowFloor("TLS11")).isTrue();
        assertThat(tls12.constantBelowFloor("DTLS12")).isFalse();
        assertThat(tls12.constantBelowFloor("NONE")).isFalse();
    }

    @Test
    void enforceDropsLegacyAndKeepsTheRest() {
        assertThat(tls12.enforce(new String[] {"SSLv2Hello", "TLSv1", "TLSv1.2"}, null, true))
                .containsExactly("TLSv1.2");
    }

    @Test
    void anEmptiedListBecomesTheFloorItselfByDefault() {
        String[] supported = {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello"};
        assertThat(tls12.rewrite()).isEqualTo(Rewrite.FLOOR);
        assertThat(tls12.enforce(new String[] {"TLSv1"}, supported, true)).containsExactly("TLSv1.2");
        assertThat(tls12.enforce(new String[] {"TLSv1", "TLSv1.1"}, null, true)).containsExactly("TLSv1.2");
        assertThat(tls13.enforce(new String[] {"TLSv1.2"}, supported, true)).containsExactly("TLSv1.3");
    }

    @Test
    void withFloorAndAboveAnEmptiedListBecomesTheFloorAndWhatIsSupportedAboveIt() {
        ProtocolPolicy up = new ProtocolPolicy(Mode.ENFORCE, "TLSv1.2", Rewrite.FLOOR_AND_ABOVE);
        String[] supported = {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello"};
        assertThat(up.enforce(new String[] {"TLSv1"}, supported, true)).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(up.enforce(new String[] {"TLSv1"}, null, true)).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(up.enforce(new String[] {"TLSv1"}, null, false)).containsExactly("TLSv1.2");
        assertThat(up.enforce(new String[] {"TLSv1"}, new String[] {"TLSv1"}, true))
                .containsExactly("TLSv1.2");
        // a pin with a protocol at the floor keeps only that, whatever the choice
        assertThat(up.enforce(new String[] {"TLSv1", "TLSv1.2"}, supported, true))
                .containsExactly("TLSv1.2");
    }

    @Test
    void theRewriteOptionHasTwoSpellings() {
        assertThat(Rewrite.fromLabel("floor")).isEqualTo(Rewrite.FLOOR);
        assertThat(Rewrite.fromLabel("Floor-And-Above")).isEqualTo(Rewrite.FLOOR_AND_ABOVE);
        assertThat(Rewrite.fromLabel("highest")).isNull();
        assertThat(Rewrite.FLOOR_AND_ABOVE.label()).isEqualTo("floor-and-above");
    }

    @Test
    void eachModeDecidesOneActionWrittenAsTheReportAlwaysDid() {
        assertThat(Action.OBSERVED.label()).isEqualTo("observed");
        assertThat(Action.REWRITTEN.label()).isEqualTo("rewritten");
        assertThat(Action.DENIED.label()).isEqualTo("denied");
        String[] legacy = {"TLSv1", "TLSv1.2"};

        Decision report = new ProtocolPolicy(Mode.REPORT, "TLSv1.2").decide(legacy, null, true);
        assertThat(report.action()).isEqualTo(Action.OBSERVED);
        assertThat(report.applied()).containsExactly("TLSv1", "TLSv1.2");

        Decision enforce = tls12.decide(legacy, null, true);
        assertThat(enforce.action()).isEqualTo(Action.REWRITTEN);
        assertThat(enforce.applied()).containsExactly("TLSv1.2");

        Decision deny = new ProtocolPolicy(Mode.DENY, "TLSv1.2").decide(legacy, null, true);
        assertThat(deny.action()).isEqualTo(Action.DENIED);
        assertThat(deny.applied()).isEmpty();
    }

    @Test
    void aContextIsRewrittenToTheFloorsOwnName() {
        assertThat(tls12.decideContext("TLSv1").applied()).containsExactly(tls12.enforceContext());
        assertThat(new ProtocolPolicy(Mode.REPORT, "TLSv1.2")
                        .decideContext("TLSv1")
                        .applied())
                .containsExactly("TLSv1");
        assertThat(new ProtocolPolicy(Mode.DENY, "TLSv1.2")
                        .decideContext("TLSv1")
                        .action())
                .isEqualTo(Action.DENIED);
    }
}
