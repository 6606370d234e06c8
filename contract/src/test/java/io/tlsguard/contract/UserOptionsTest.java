package io.tlsguard.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UserOptionsTest {

    @Test
    void defaults() {
        UserOptions o = UserOptions.parse(null);
        assertThat(o.error()).isNull();
        assertThat(o.mode()).isEqualTo(Mode.REPORT);
        assertThat(o.min()).isEqualTo(MinProtocol.TLS_1_2);
        assertThat(o.report()).isNull();
    }

    @Test
    void allOptions() {
        UserOptions o = UserOptions.parse(" mode=ENFORCE , min=tlsv1.3, report=/tmp/r-%p.jsonl,cache=off");
        assertThat(o.error()).isNull();
        assertThat(o.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(o.min()).isEqualTo(MinProtocol.TLS_1_3);
        assertThat(o.report()).isEqualTo("/tmp/r-%p.jsonl");
        assertThat(o.cache()).isEqualTo("off");
    }

    /** What enforce makes of a legacy-only pin: the floor itself unless asked otherwise (issue 11 item 4). */
    @Test
    void rewriteIsTheFloorByDefaultOrTheFloorAndAbove() {
        assertThat(UserOptions.parse("mode=enforce").rewrite()).isEqualTo(Rewrite.FLOOR);
        UserOptions up = UserOptions.parse("mode=enforce,rewrite=floor-and-above");
        assertThat(up.rewrite()).isEqualTo(Rewrite.FLOOR_AND_ABOVE);
        assertThat(up.encode()).isEqualTo("mode=enforce,rewrite=floor-and-above");
        UserOptions bad = UserOptions.parse("mode=enforce,rewrite=tls13");
        assertThat(bad.error()).isEqualTo("option rewrite=tls13 is not one of floor, floor-and-above");
        assertThat(bad.failsClosed()).isTrue();
    }

    /** The attach CLI's command and reply file are its protocol, never options a user can give. */
    @Test
    void internalKeysAreUnknownOptions() {
        UserOptions status = UserOptions.parse("mode=enforce,command=status");
        assertThat(status.error()).startsWith("unknown option 'command'");
        assertThat(status.failsClosed()).isTrue();
        assertThat(UserOptions.parse("mode=deny,command=detach").error()).startsWith("unknown option 'command'");
        assertThat(UserOptions.parse("reply=/tmp/x").error()).startsWith("unknown option 'reply'");
        assertThat(UserOptions.parse(AttachRequest.PROTOCOL + ";command=detach;reply=/tmp/r;options=")
                        .error())
                .startsWith("unknown option");
        for (String internal : new String[] {"command", "reply", "options"}) {
            assertThat(UserOptions.parse(internal + "=x").error()).startsWith("unknown option '" + internal + "'");
        }
        assertThat(UserOptions.parse("Mode=deny").error()).as("keys are exact").startsWith("unknown option 'Mode'");
    }

    /** The CLI's flags go through the same checks, with the same messages, as the agent's option string. */
    @Test
    void theCliBuildsOptionsWithTheSameValidation() {
        UserOptions o = UserOptions.NONE
                .with(OptionKey.MODE, "ENFORCE")
                .with(OptionKey.MIN, "1.3")
                .with(OptionKey.REPORT, "/r/a;b=c.jsonl");
        assertThat(o.encode()).isEqualTo("mode=enforce,min=TLSv1.3,report=/r/a;b=c.jsonl");
        UserOptions back = UserOptions.parse(o.encode());
        assertThat(back.error()).isNull();
        assertThat(back.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(back.min()).isEqualTo(MinProtocol.TLS_1_3);
        assertThat(back.report()).isEqualTo("/r/a;b=c.jsonl");
        assertThat(back.cache()).isNull();
        assertThat(back.encode()).isEqualTo(o.encode());
        assertThat(UserOptions.NONE.encode()).isEmpty();
        assertThat(UserOptions.NONE.given(OptionKey.MODE)).isNull();

        assertThatThrownBy(() -> UserOptions.NONE.with(OptionKey.MODE, "strict"))
                .hasMessage(UserOptions.parse("mode=strict").error());
        assertThatThrownBy(() -> UserOptions.NONE.with(OptionKey.MIN, "TLSv1.1"))
                .hasMessage(UserOptions.parse("min=TLSv1.1").error());
        assertThatThrownBy(() -> UserOptions.NONE.with(OptionKey.CACHE, " "))
                .hasMessage(UserOptions.parse("cache=").error());
        assertThatThrownBy(() -> UserOptions.NONE.with(OptionKey.REPORT, "/a,mode=report"))
                .as("a value cannot smuggle in another option")
                .hasMessageContaining("holds ','");
    }

    /** service= names the JVM on every line: printable, no ',' or '=', at most 256 characters. */
    @Test
    void serviceIsAPrintableBoundedName() {
        UserOptions o = UserOptions.parse("service=billing api (eu-1),mode=enforce");
        assertThat(o.error()).isNull();
        assertThat(o.service()).isEqualTo("billing api (eu-1)");
        assertThat(o.encode()).isEqualTo("mode=enforce,service=billing api (eu-1)");
        assertThat(UserOptions.parse(o.encode()).service()).isEqualTo("billing api (eu-1)");
        assertThat(UserOptions.parse("mode=report").service()).isNull();
        assertThat(UserOptions.parse("service=" + "s".repeat(256)).error()).isNull();
        assertThat(UserOptions.parse("service=" + "s".repeat(257)).error())
                .isEqualTo("option service= is longer than 256 characters");
        assertThat(UserOptions.parse("service=").error()).isEqualTo("option service= needs a name");
        assertThat(UserOptions.parse("service=a=b").error())
                .isEqualTo("option service= may hold printable characters only, without ',' or '='");
        assertThat(UserOptions.parse("service=a\tb").error())
                .isEqualTo("option service= may hold printable characters only, without ',' or '='");
        assertThatThrownBy(() -> UserOptions.NONE.with(OptionKey.SERVICE, "a,mode=deny"))
                .hasMessageContaining("holds ','");
        assertThat(UserOptions.NONE.with(OptionKey.SERVICE, "checkout").given(OptionKey.SERVICE))
                .isEqualTo("checkout");
    }

    @Test
    void usageNamesEveryKey() {
        assertThat(UserOptions.USAGE)
                .isEqualTo("mode=report|enforce|deny, min=TLSv1.2|TLSv1.3, rewrite=floor|floor-and-above,"
                        + " report=PATH|stderr|none, cache=DIR|off, service=NAME, otlp=URL|env");
    }

    @Test
    void badOptionsNameTheProblem() {
        assertThat(UserOptions.parse("mode=strict").error())
                .isEqualTo("option mode=strict is not one of report, enforce, deny");
        assertThat(UserOptions.parse("min=TLSv1.1").error())
                .isEqualTo("option min=TLSv1.1 is not one of TLSv1.2, TLSv1.3");
        assertThat(UserOptions.parse("floor=TLSv1.2").error()).startsWith("unknown option 'floor'");
        assertThat(UserOptions.parse("enforce").error()).startsWith("option 'enforce' is not key=value");
        assertThat(UserOptions.parse("mode=report,mode=deny").error()).isEqualTo("option 'mode' is given twice");
        assertThat(UserOptions.parse("report=").error()).isEqualTo("option report= needs a path (or stderr)");
    }

    @Test
    void failsClosedWhenGuardingWasAskedFor() {
        assertThat(UserOptions.parse("colour=red,mode=enforce").failsClosed()).isTrue();
        assertThat(UserOptions.parse("mode=denyy").failsClosed()).isTrue();
        assertThat(UserOptions.parse("mode=report,colour=red").failsClosed()).isFalse();
        assertThat(UserOptions.parse("colour=red").failsClosed()).isFalse();
        UserOptions twice = UserOptions.parse("mode=enforce,mode=report");
        assertThat(twice.error()).isEqualTo("option 'mode' is given twice");
        assertThat(twice.failsClosed())
                .as("the last mode= must not turn enforce off")
                .isTrue();
        assertThat(UserOptions.parse("mode=report,mode=deny").failsClosed()).isTrue();
    }

    @Test
    void otlpTakesAnHttpUrlOrEnv() {
        assertThat(UserOptions.parse("otlp=http://collector:4318").otlp()).isEqualTo("http://collector:4318");
        assertThat(UserOptions.parse("otlp=https://c.example/base/").error()).isNull();
        assertThat(UserOptions.parse("otlp=env").otlp()).isEqualTo("env");
        assertThat(UserOptions.parse("otlp=grpc://collector:4317").error())
                .isEqualTo("option otlp=grpc://collector:4317 is not an http:// or https:// URL (or env)");
        assertThat(UserOptions.parse("otlp=http://c:4318/?a=b").error())
                .isEqualTo("option otlp=http://c:4318/?a=b needs a host, and no query or fragment");
        assertThat(UserOptions.parse("otlp=").error()).contains("is not an http:// or https:// URL");
        assertThat(UserOptions.parse("report=none,otlp=env").encode()).isEqualTo("report=none,otlp=env");
    }
}
