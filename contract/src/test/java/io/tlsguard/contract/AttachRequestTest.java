package io.tlsguard.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class AttachRequestTest {

    @Test
    void theCliEnvelopeCarriesCommandReplyAndOptions() {
        AttachRequest r = AttachRequest.onAttach(
                "tlsguard-attach/1;command=status;reply=/tmp/d/reply.json;options=mode=enforce,report=/a;b=c");
        assertThat(r.command()).isEqualTo(Command.STATUS);
        assertThat(r.reply()).isEqualTo(Paths.get("/tmp/d/reply.json"));
        assertThat(r.options().error())
                .as("';' and '=' belong to the report path")
                .isNull();
        assertThat(r.options().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(r.options().report()).isEqualTo("/a;b=c");
    }

    @Test
    void emptyOptionsAreTheDefaults() {
        AttachRequest r = AttachRequest.onAttach("tlsguard-attach/1;command=detach;reply=/tmp/r;options=");
        assertThat(r.command()).isEqualTo(Command.DETACH);
        assertThat(r.options().error()).isNull();
        assertThat(r.options().mode()).isEqualTo(Mode.REPORT);
    }

    @Test
    void plainOptionsOnAttachMeanAttachWithNoReply() {
        AttachRequest r = AttachRequest.onAttach("mode=deny");
        assertThat(r.command()).isEqualTo(Command.ATTACH);
        assertThat(r.reply()).isNull();
        assertThat(r.options().mode()).isEqualTo(Mode.DENY);
        assertThat(AttachRequest.onAttach("mode=deny,command=detach").options().error())
                .startsWith("unknown option 'command'");
    }

    @Test
    void atStartupTheEnvelopeIsNotUnderstood() {
        AttachRequest r = AttachRequest.atStartup("tlsguard-attach/1;command=detach;reply=/tmp/r;options=mode=enforce");
        assertThat(r.command()).isEqualTo(Command.ATTACH);
        assertThat(r.reply()).isNull();
        assertThat(r.options().error()).startsWith("unknown option");
        assertThat(r.options().failsClosed()).isTrue();
    }

    @Test
    void whatTheCliEncodesTheAgentDecodes() {
        UserOptions options = UserOptions.NONE.with(OptionKey.MODE, "deny").with(OptionKey.REPORT, "/x/a;b=c.jsonl");
        for (Command c : Command.values()) {
            AttachRequest sent = AttachRequest.of(c, Paths.get("/home/me/.cache/reply-1/reply.json"), options);
            assertThat(sent.encode())
                    .startsWith(AttachRequest.PROTOCOL + ";command=" + c.key()
                            + ";reply=/home/me/.cache/reply-1/reply.json;options=");
            AttachRequest got = AttachRequest.onAttach(sent.encode());
            assertThat(got.command()).isEqualTo(c);
            assertThat(got.reply()).isEqualTo(sent.reply());
            assertThat(got.options().error()).isNull();
            assertThat(got.options().encode()).isEqualTo(options.encode());
        }
        assertThat(AttachRequest.of(Command.DETACH, Paths.get("/r/x"), UserOptions.NONE)
                        .encode())
                .isEqualTo("tlsguard-attach/1;command=detach;reply=/r/x;options=");
    }

    @Test
    void theCliRefusesAReplyPathThatWouldBreakTheEnvelope() {
        for (String bad : new String[] {"relative/reply.json", "/a;b/reply.json", "/a\nb/reply.json"}) {
            assertThatThrownBy(() -> AttachRequest.of(Command.STATUS, Paths.get(bad), UserOptions.NONE))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void malformedEnvelopesAreErrors() {
        for (String bad : new String[] {
            "tlsguard-attach/1;",
            "tlsguard-attach/1;command=status;options=",
            "tlsguard-attach/1;reply=/r;command=status;options=",
            "tlsguard-attach/1;command=status;reply=relative;options=",
            "tlsguard-attach/1;command=halt;reply=/r;options="
        }) {
            AttachRequest r = AttachRequest.onAttach(bad);
            assertThat(r.options().error()).as(bad).isNotNull();
            assertThat(r.command()).as(bad).isNotEqualTo(Command.DETACH);
        }
    }
}
