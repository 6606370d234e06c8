package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.contract.ReplyKey;
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
}
