package io.tlsguard.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks report lines against docs/report.schema.json with a maintained JSON Schema validator (networknt
 * json-schema-validator, the dialect the document's $schema names: 2020-12), so that the documented format and the
 * written one cannot drift apart.
 */
public final class ReportSchema {
    private static Schema schema;

    private ReportSchema() {}

    static synchronized Schema schema() {
        if (schema == null) {
            schema = load(Artifacts.reportSchema());
        }
        return schema;
    }

    static Schema load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with {@code event} by the schema; empty when nothing is. */
    public static List<String> violations(JsonNode event) {
        return schema().validate(event).stream().map(Error::toString).toList();
    }

    /** Throws AssertionError naming every violation. */
    public static void check(JsonNode event) {
        List<String> violations = violations(event);
        if (!violations.isEmpty()) {
            throw new AssertionError("report line violates docs/report.schema.json: "
                    + violations.stream().collect(Collectors.joining("; ")) + ": " + event);
        }
    }
}
