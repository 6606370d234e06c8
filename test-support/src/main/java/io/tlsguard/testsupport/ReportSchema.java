package io.tlsguard.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks report lines against docs/report.schema.json, so the documented format and the written one
 * cannot drift apart. Implements the part of JSON Schema the document uses: $ref, required,
 * additionalProperties=false, type, const, enum, pattern, items.
 */
public final class ReportSchema {
    static final Path FILE = Artifacts.reportSchema();
    private static JsonNode schema;

    private ReportSchema() {
    }

    static synchronized JsonNode schema() {
        if (schema == null) {
            try {
                schema = new ObjectMapper().readTree(FILE.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    /** Throws AssertionError naming the first violation. */
    public static void check(JsonNode event) {
        String name = event.path("event.name").asText();
        String def = switch (name) {
            case "tls.handshake" -> "handshake";
            case "tlsguard.protocol_pin" -> "pin";
            case "tlsguard.summary" -> "summary";
            default -> throw new AssertionError("event.name not in the schema: " + event);
        };
        check(event, schema().path("$defs").path(def), "$");
    }

    private static void check(JsonNode value, JsonNode rule, String where) {
        if (rule.has("$ref")) {
            String ref = rule.get("$ref").asText().replace("#/$defs/", "");
            check(value, schema().path("$defs").path(ref), where);
        }
        if (rule.has("const") && !rule.get("const").equals(value)) {
            fail(where, "is not " + rule.get("const"), value);
        }
        if (rule.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : rule.get("enum")) {
                found |= allowed.equals(value);
            }
            if (!found) {
                fail(where, "is not one of " + rule.get("enum"), value);
            }
        }
        if (rule.has("pattern") && !value.asText().matches(rule.get("pattern").asText())) {
            fail(where, "does not match " + rule.get("pattern"), value);
        }
        if (rule.has("type")) {
            String type = rule.get("type").asText();
            boolean ok = switch (type) {
                case "string" -> value.isTextual();
                case "boolean" -> value.isBoolean();
                case "integer" -> value.isIntegralNumber();
                case "array" -> value.isArray();
                case "object" -> value.isObject();
                default -> true;
            };
            if (!ok) {
                fail(where, "is not " + type, value);
            }
        }
        if (rule.has("required")) {
            for (JsonNode required : rule.get("required")) {
                if (!value.has(required.asText())) {
                    fail(where, "lacks " + required, value);
                }
            }
        }
        if (rule.has("properties")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode fieldRule = rule.get("properties").get(field.getKey());
                if (fieldRule == null) {
                    if (rule.path("additionalProperties").isBoolean() && !rule.get("additionalProperties").asBoolean()) {
                        fail(where, "has undocumented field " + field.getKey(), value);
                    }
                } else {
                    check(field.getValue(), fieldRule, where + "." + field.getKey());
                }
            }
        }
        if (rule.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                check(item, rule.get("items"), where + "[" + i++ + "]");
            }
        }
    }

    private static void fail(String where, String problem, JsonNode value) {
        throw new AssertionError("report line violates docs/report.schema.json: " + where + " " + problem + ": " + value);
    }
}
