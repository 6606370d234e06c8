package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {

    /** An exception's text goes into the CLI's reply: quotes, backslashes and line breaks must stay inside the string. */
    @Test
    void failureRepliesAreJsonWhateverTheErrorHolds() throws Exception {
        String hostile = "cannot write \"/tmp/a\\b\"\n{\"ok\":true}";
        JsonNode reply = new ObjectMapper().readTree(AgentRuntime.failure(hostile));
        assertThat(reply.get("ok").asBoolean()).isFalse();
        assertThat(reply.get("error").asText()).isEqualTo(hostile);
        assertThat(reply.size()).isEqualTo(2);
    }
}
