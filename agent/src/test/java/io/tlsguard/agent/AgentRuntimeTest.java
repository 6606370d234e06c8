package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.contract.ReplyKey;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {

    /** An exception's text goes into the CLI's reply: quotes, backslashes and line breaks must stay inside the string. */
    @Test
    void failureRepliesAreJsonWhateverTheErrorHolds() throws Exception {
        String hostile = "cannot write \"/tmp/a\\b\"\n{\"ok\":true}";
        JsonNode reply = new ObjectMapper().readTree(AgentRuntime.failure(hostile));
        assertThat(reply.get(ReplyKey.OK.key()).asBoolean()).isFalse();
        assertThat(reply.get(ReplyKey.ERROR.key()).asText()).isEqualTo(hostile);
        assertThat(reply.size()).isEqualTo(2);
    }

    /** Every key of every reply is one of the contract's: the CLI and the docs know them all. */
    @Test
    void repliesUseOnlyTheContractsKeys() throws Exception {
        Set<String> known = new HashSet<>();
        for (ReplyKey k : ReplyKey.values()) {
            known.add(k.key());
        }
        for (String reply : new String[] {
            AgentRuntime.status("tlsguard is not running in this JVM"),
            AgentRuntime.detached(),
            AgentRuntime.failure("x")
        }) {
            JsonNode json = new ObjectMapper().readTree(reply);
            json.fieldNames().forEachRemaining(k -> assertThat(known).as(reply).contains(k));
            assertThat(json.has(ReplyKey.OK.key())).as(reply).isTrue();
        }
    }
}
