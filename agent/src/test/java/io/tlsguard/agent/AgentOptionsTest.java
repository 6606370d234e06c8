package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.agent.policy.Mode;
import io.tlsguard.agent.policy.Rewrite;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaults() {
        AgentOptions o = AgentOptions.parse(null);
        assertThat(o.error()).isNull();
        assertThat(o.mode()).isEqualTo(Mode.REPORT);
        assertThat(o.floor()).isEqualTo("TLSv1.2");
        assertThat(o.report()).isNull();
    }

    @Test
    void allOptions() {
        AgentOptions o = AgentOptions.parse(" mode=ENFORCE , min=tlsv1.3, report=/tmp/r-%p.jsonl,cache=off");
        assertThat(o.error()).isNull();
        assertThat(o.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(o.floor()).isEqualTo("TLSv1.3");
        assertThat(o.report()).isEqualTo("/tmp/r-%p.jsonl");
        assertThat(o.cache()).isEqualTo("off");
    }

    /** Issue 11 item 4: what enforce makes of a legacy-only pin; the floor itself unless asked otherwise. */
    @Test
    void rewriteIsTheFloorByDefaultOrTheFloorAndAbove() {
        assertThat(AgentOptions.parse("mode=enforce").rewrite()).isEqualTo(Rewrite.FLOOR);
        assertThat(AgentOptions.parse("mode=enforce,rewrite=floor-and-above").rewrite())
                .isEqualTo(Rewrite.FLOOR_AND_ABOVE);
        AgentOptions bad = AgentOptions.parse("mode=enforce,rewrite=tls13");
        assertThat(bad.error()).isEqualTo("option rewrite=tls13 is not one of floor, floor-and-above");
        assertThat(bad.failsClosed()).isTrue();
    }

    /** The attach CLI's command and reply file are its protocol, never options a user can give. */
    @Test
    void internalKeysAreUnknownOptions() {
        AgentOptions status = AgentOptions.parse("mode=enforce,command=status");
        assertThat(status.error()).startsWith("unknown option 'command'");
        assertThat(status.failsClosed()).isTrue();
        assertThat(AgentOptions.parse("mode=deny,command=detach").error()).startsWith("unknown option 'command'");
        assertThat(AgentOptions.parse("reply=/tmp/x").error()).startsWith("unknown option 'reply'");
        assertThat(AgentOptions.parse(AttachRequest.PROTOCOL + ";command=detach;reply=/tmp/r;options=")
                        .error())
                .startsWith("unknown option");
    }

    @Test
    void badOptionsNameTheProblem() {
        assertThat(AgentOptions.parse("mode=strict").error())
                .isEqualTo("option mode=strict is not one of report, enforce, deny");
        assertThat(AgentOptions.parse("min=TLSv1.1").error())
                .isEqualTo("option min=TLSv1.1 is not one of TLSv1.2, TLSv1.3");
        assertThat(AgentOptions.parse("floor=TLSv1.2").error()).startsWith("unknown option 'floor'");
        assertThat(AgentOptions.parse("enforce").error()).startsWith("option 'enforce' is not key=value");
        assertThat(AgentOptions.parse("mode=report,mode=deny").error()).isEqualTo("option 'mode' is given twice");
        assertThat(AgentOptions.parse("report=").error()).isEqualTo("option report= needs a path (or stderr)");
    }

    @Test
    void failsClosedWhenGuardingWasAskedFor() {
        assertThat(AgentOptions.parse("colour=red,mode=enforce").failsClosed()).isTrue();
        assertThat(AgentOptions.parse("mode=denyy").failsClosed()).isTrue();
        assertThat(AgentOptions.parse("mode=report,colour=red").failsClosed()).isFalse();
        assertThat(AgentOptions.parse("colour=red").failsClosed()).isFalse();
        AgentOptions twice = AgentOptions.parse("mode=enforce,mode=report");
        assertThat(twice.error()).isEqualTo("option 'mode' is given twice");
        assertThat(twice.failsClosed())
                .as("the last mode= must not turn enforce off")
                .isTrue();
        assertThat(AgentOptions.parse("mode=report,mode=deny").failsClosed()).isTrue();
    }
}
