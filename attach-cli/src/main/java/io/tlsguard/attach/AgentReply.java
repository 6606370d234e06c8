package io.tlsguard.attach;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tlsguard.contract.ReplyKey;
import java.util.Iterator;
import java.util.Map;

/**
 * The agent's one-line JSON reply (keys: {@link ReplyKey}): the line exactly as the agent wrote it, which
 * {@code status --json} prints unchanged, and the same line read by Jackson for everything else. Only a single
 * JSON object on one line is accepted: Jackson refuses raw control characters, so the line is safe to print.
 */
final class AgentReply {
    private static final ObjectReader READER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The reply as the agent wrote it, without its line break. */
    final String line;

    private final JsonNode json;

    private AgentReply(String line, JsonNode json) {
        this.line = line;
        this.json = json;
    }

    /** @throws IllegalArgumentException unless {@code line} is one JSON object on one line */
    static AgentReply parse(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("not one line");
        }
        JsonNode json;
        try {
            json = READER.readValue(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return new AgentReply(line, json);
    }

    /** Whether the agent did what was asked. */
    boolean ok() {
        JsonNode ok = json.get(ReplyKey.OK.key());
        return ok != null && ok.isBoolean() && ok.booleanValue();
    }

    /** The value of {@code key} as a person reads it (see {@link #plain}), or null when the reply has none. */
    String text(ReplyKey key) {
        JsonNode v = json.get(key.key());
        return v == null ? null : plain(v);
    }

    /** Every key and value in the agent's order, values as a person reads them. */
    Iterator<Map.Entry<String, JsonNode>> fields() {
        return json.fields();
    }

    /**
     * A value as a person reads it: text without quotes, an object as its k=v pairs; control characters (which the
     * JSON held escaped: a report path, an exception's text) become spaces, so nothing reaches the terminal raw.
     */
    static String plain(JsonNode v) {
        if (v.isObject()) {
            StringBuilder b = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> i = v.fields(); i.hasNext(); ) {
                Map.Entry<String, JsonNode> e = i.next();
                b.append(b.length() == 0 ? "" : " ")
                        .append(e.getKey())
                        .append('=')
                        .append(plain(e.getValue()));
            }
            return b.toString();
        }
        return (v.isValueNode() ? v.asText() : v.toString()).replaceAll("\\p{Cc}", " ");
    }

    @Override
    public String toString() {
        return line;
    }
}
