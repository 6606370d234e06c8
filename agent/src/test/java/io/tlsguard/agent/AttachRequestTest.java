package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.agent.policy.Mode;
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
