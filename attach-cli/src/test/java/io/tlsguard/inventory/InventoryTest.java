package io.tlsguard.inventory;

import static io.tlsguard.inventory.Lines.failed;
import static io.tlsguard.inventory.Lines.handshake;
import static io.tlsguard.inventory.Lines.identity;
import static io.tlsguard.inventory.Lines.pin;
import static io.tlsguard.inventory.Lines.summary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The inventory on crafted report lines: the readiness rule, skipped lines, the four formats. */
class InventoryTest {
    static final String BILLING = identity("billing", "host-a", 101);
    static final String BILLING_RESTART = identity("billing", "host-b", 202);
    static final String SHOP = identity("shop", "host-a", 303);

    @TempDir
    Path dir;

    /** Runs the command as the CLI would; returns stdout (stderr in {@link #err}). */
    String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter errors = new StringWriter();
        CommandLine cl = new CommandLine(new InventoryCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(errors));
        exit = cl.execute(args);
        err = errors.toString();
        return out.toString();
    }

    int exit;
    String err;

    Path write(String relative, List<String> lines, String tail) throws Exception {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, String.join("\n", lines) + "\n" + tail);
        return f;
    }

    JsonNode json(String... args) throws Exception {
        String out = run(args);
        assertThat(exit).as(err).isZero();
        JsonNode doc = new ObjectMapper().readTree(out);
        List<String> violations = schemaViolations(doc);
        assertThat(violations).as("docs/inventory.schema.json: " + out).isEmpty();
        return doc;
    }

    static Schema schema;

    static synchronized List<String> schemaViolations(JsonNode doc) throws Exception {
        if (schema == null) {
            Path file = Paths.get(System.getProperty("tlsguard.schema", "../docs/report.schema.json"))
                    .resolveSibling("inventory.schema.json");
            try (InputStream in = Files.newInputStream(file)) {
                schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(in);
            }
        }
        return schema.validate(doc).stream().map(Error::toString).toList();
    }

    static JsonNode service(JsonNode doc, String name) {
        for (JsonNode s : doc.get("services")) {
            if (s.get("service.name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + doc);
    }

    /** Two hosts, a restart, a directory tree; a crash's cut line, foreign lines, an old tlsguard's line. */
    void fleet() throws Exception {
        write(
                "host-a/tlsguard-101.jsonl",
                Lines.of(
                        "{\"event.name\":\"tls.handshake\",\"timestamp\":\"2026-11-01T10:00:00.000Z\",\"tls.established\":true,"
                                + "\"tlsguard.side\":\"client\",\"tls.protocol.version\":\"1\"}", // tlsguard 0.1: no
                        // service.name
                        pin(BILLING, "2026-11-02T10:00:00.000Z", "[\"TLSv1\"]", "com.example.billing.Mailer.send", 82),
                        handshake(
                                BILLING,
                                "2026-11-02T10:00:01.000Z",
                                "client",
                                "1",
                                "legacy.bank.example",
                                443,
                                "10.0.0.1"),
                        handshake(BILLING, "2026-11-02T10:00:02.000Z", "client", "1.3", "api.example", 443, "10.0.0.1"),
                        "2026-11-02 10:00:03 INFO some other program's log line",
                        "{\"level\":\"info\",\"msg\":\"not ours\"}"),
                "{\"event.name\":\"tls.handshake\",\"timestamp\":\"2026-11-02T10:0"); // cut by kill -9
        write(
                "host-b/deep/er/tlsguard-202.jsonl",
                Lines.of(
                        handshake(
                                BILLING_RESTART,
                                "2026-11-03T09:00:00.000Z",
                                "server",
                                "1.1",
                                "billing.example",
                                8443,
                                "10.9.9.9"),
                        summary(BILLING_RESTART, "2026-11-03T09:30:00.000Z")),
                "");
        write(
                "host-a/shop/tlsguard-303.jsonl",
                Lines.of(
                        handshake(SHOP, "2026-11-01T08:00:00.000Z", "client", "1.3", "api.example", 443, "10.0.0.3"),
                        handshake(SHOP, "2026-11-02T08:00:00.000Z", "server", "1.2", "shop.example", 443, "10.0.0.4"),
                        pin(
                                SHOP,
                                "2026-11-02T08:00:01.000Z",
                                "[\"TLSv1\",\"TLSv1.2\"]",
                                "com.example.shop.Http.init",
                                12)),
                "");
        write("host-a/notes.txt", Lines.of("ignored: not *.jsonl"), "");
    }

    @Test
    void readinessPerServiceAndEveryFindingInJson() throws Exception {
        fleet();
        JsonNode doc = json("--format", "json", dir.toString());

        assertThat(doc.get("files.read").asLong()).isEqualTo(3);
        assertThat(doc.get("lines.read").asLong()).isEqualTo(12);
        assertThat(doc.get("lines.skipped").asLong()).isEqualTo(4);
        JsonNode why = doc.get("lines.skipped.by_reason");
        assertThat(why.get("invalid_json").asLong())
                .as("the cut line and the plain-text line")
                .isEqualTo(2);
        assertThat(why.get("not_tlsguard").asLong()).isEqualTo(1);
        assertThat(why.get("no_service_name").asLong()).isEqualTo(1);

        JsonNode billing = service(doc, "billing");
        assertThat(billing.get("ready").asBoolean()).isFalse();
        assertThat(billing.get("first_seen").asText()).isEqualTo("2026-11-02T10:00:00.000Z");
        assertThat(billing.get("last_seen").asText()).isEqualTo("2026-11-03T09:30:00.000Z");
        assertThat(billing.get("instances")).hasSize(2);
        assertThat(billing.get("legacy_as_client").get(0).get("server").asText())
                .isEqualTo("legacy.bank.example:443");
        assertThat(billing.get("legacy_as_client")
                        .get(0)
                        .get("protocols")
                        .get(0)
                        .asText())
                .isEqualTo("TLSv1");
        assertThat(billing.get("legacy_as_server").get(0).get("client").asText())
                .isEqualTo("10.9.9.9");
        JsonNode pin = billing.get("pins").get(0);
        assertThat(pin.get("blocking").asBoolean()).isTrue();
        assertThat(pin.get("code.function.name").asText()).isEqualTo("com.example.billing.Mailer.send");
        assertThat(pin.get("code.line.number").asInt()).isEqualTo(82);
        assertThat(pin.get("tlsguard.library.coordinates").asText()).isEqualTo("com.sun.mail:javax.mail:1.6.2");
        assertThat(billing.get("reasons")).hasSize(3);

        JsonNode shop = service(doc, "shop");
        assertThat(shop.get("ready").asBoolean())
                .as("a pin that keeps TLSv1.2 is not blocking")
                .isTrue();
        assertThat(shop.get("pins").get(0).get("blocking").asBoolean()).isFalse();
        assertThat(shop.get("reasons")).isEmpty();

        assertThat(doc.get("services.not_ready").asInt()).isEqualTo(1);
        assertThat(doc.get("peers").toString()).contains("legacy.bank.example:443", "10.9.9.9");
        assertThat(doc.get("call_sites").toString())
                .contains("com.example.billing.Mailer.send (Mailer.java:82) in com.sun.mail:javax.mail:1.6.2")
                .contains("com.example.shop.Http.init");
        assertThat(doc.get("days")).hasSize(3);
    }

    @Test
    void aHigherFloorMakesTls12Legacy() throws Exception {
        fleet();
        JsonNode doc = json("--format", "json", "--min", "TLSv1.3", dir.toString());
        JsonNode shop = service(doc, "shop");
        assertThat(shop.get("ready").asBoolean()).isFalse();
        assertThat(shop.get("legacy_as_server").get(0).get("client").asText()).isEqualTo("10.0.0.4");
    }

    @Test
    void failedHandshakesBlockOnlyForALegacyPinOrLegacyOnlyProtocols() throws Exception {
        String pinFields = ",\"tlsguard.failure.pin.api\":\"SSLContext.getInstance\","
                + "\"tlsguard.failure.pin.protocols\":[\"TLSv1\"],"
                + "\"tlsguard.failure.pin.code.function.name\":\"com.example.Legacy.connect\","
                + "\"tlsguard.failure.pin.code.file.path\":\"Legacy.java\",\"tlsguard.failure.pin.code.line.number\":7";
        write(
                "r.jsonl",
                Lines.of(
                        failed(
                                identity("pinned", "h", 1),
                                "2026-11-02T10:00:00.000Z",
                                "pin_below_jvm_floor",
                                "[\"TLSv1\"]",
                                pinFields),
                        failed(
                                identity("legacy-offer", "h", 2),
                                "2026-11-02T10:00:00.000Z",
                                "other",
                                "[\"TLSv1\",\"TLSv1.1\"]",
                                ""),
                        failed(
                                identity("cert-problem", "h", 3),
                                "2026-11-02T10:00:00.000Z",
                                "other",
                                "[\"TLSv1.3\",\"TLSv1.2\"]",
                                ""),
                        failed(
                                identity("floor-cut", "h", 4),
                                "2026-11-02T10:00:00.000Z",
                                "tlsguard_floor",
                                "[\"TLSv1.3\",\"TLSv1.2\"]",
                                "")),
                "");
        JsonNode doc = json("--format", "json", dir.toString());
        assertThat(service(doc, "pinned").get("ready").asBoolean()).isFalse();
        JsonNode f = service(doc, "pinned").get("failures").get(0);
        assertThat(f.get("tlsguard.failure.pin.code.function.name").asText()).isEqualTo("com.example.Legacy.connect");
        assertThat(f.get("peer").asText()).isEqualTo("mail.example:465");
        assertThat(service(doc, "legacy-offer").get("ready").asBoolean()).isFalse();
        assertThat(service(doc, "cert-problem").get("ready").asBoolean()).isTrue();
        assertThat(service(doc, "cert-problem").get("handshakes.failed").asInt())
                .isEqualTo(1);
        assertThat(service(doc, "floor-cut").get("ready").asBoolean())
                .as("a legacy-only peer shut out")
                .isFalse();
        assertThat(doc.get("call_sites").toString()).contains("com.example.Legacy.connect (Legacy.java:7)");
    }

    @Test
    void missingAndOverlongInputIsCountedNotFatal() throws Exception {
        String huge = "{\"event.name\":\"" + "x".repeat(ReportReader.MAX_LINE + 10) + "\"}";
        write("a.jsonl", Lines.of(huge, handshake(SHOP, "2026-11-01T08:00:00.000Z", "client", "1.3", "a", 1, "b")), "");
        write("empty.jsonl", Lines.of(), "");
        JsonNode doc = json(
                "--format", "json", dir.toString(), dir.resolve("nope.jsonl").toString());
        assertThat(doc.get("lines.skipped.by_reason").get("too_long").asInt()).isEqualTo(1);
        assertThat(doc.get("lines.used").asInt()).isEqualTo(1);
        assertThat(doc.get("files.unreadable").asInt()).isEqualTo(1);
        assertThat(doc.get("files.errors").get(0).get("reason").asText()).isEqualTo("no such file or directory");
        assertThat(err).contains("could not be read", "nope.jsonl");
    }

    @Test
    void csvQuotesAndDefusesFormulas() throws Exception {
        String hostile = identity("=HYPERLINK(\\\"http://x\\\",\\\"a,b\\\")", "h", 1);
        write(
                "r.jsonl",
                Lines.of(
                        handshake(hostile, "2026-11-02T10:00:00.000Z", "client", "1", "-1+2@evil", 443, "c"),
                        handshake(SHOP, "2026-11-02T10:00:00.000Z", "client", "1.3", "ok", 443, "c")),
                "");
        String csv = run("--format", "csv", dir.toString());
        String[] rows = csv.split("\r\n", -1);
        assertThat(rows[0]).isEqualTo(String.join(",", CsvFormat.HEADER));
        assertThat(rows[1])
                .startsWith(
                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",false,legacy_as_client,true,'-1+2@evil:443,TLSv1,1,");
        assertThat(rows[2]).startsWith("shop,true,none,false,");
        assertThat(rows).hasSize(4); // header, two rows, the empty string after the last CRLF
        assertThat(CsvFormat.cell("+cmd")).isEqualTo("'+cmd");
        assertThat(CsvFormat.cell("@x")).isEqualTo("'@x");
        assertThat(CsvFormat.cell("a\nb")).isEqualTo("\"a\nb\"");
    }

    @Test
    void textEscapesControlCharactersAndSaysTheVerdictFirst() throws Exception {
        write(
                "r.jsonl",
                Lines.of(
                        handshake(
                                identity("evil\\u001b[2J", "h", 1),
                                "2026-11-02T10:00:00.000Z",
                                "client",
                                "1",
                                "p\\u202eer",
                                443,
                                "c"),
                        handshake(SHOP, "2026-11-02T10:00:00.000Z", "client", "1.3", "ok", 443, "c")),
                "");
        String text = run(dir.toString());
        assertThat(exit).isZero();
        assertThat(text).doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(text).contains("NOT READY  evil\\u001b[2J", "ready      shop", "to p\\u202eer:443");
        assertThat(text.indexOf("NOT READY")).isLessThan(text.indexOf("ready      shop"));
    }

    @Test
    void htmlEscapesEverythingAndIsSelfContained() throws Exception {
        write(
                "r.jsonl",
                Lines.of(handshake(
                        identity("<b>svc</b>", "h", 1),
                        "2026-11-02T10:00:00.000Z",
                        "client",
                        "1",
                        "<script>alert(1)</script>",
                        443,
                        "\\\"><img src=x onerror=alert(2)>")),
                "");
        Path page = dir.resolve("out/inventory.html");
        Files.createDirectories(page.getParent());
        run("--format", "html", "-o", page.toString(), dir.toString());
        assertThat(exit).as(err).isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;svc&lt;/b&gt;");
        assertThat(html).doesNotContain("<script>alert", "<b>svc", "<img src=x");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(html).contains("script-src '" + HtmlFormat.scriptHash() + "'");
        assertThat(err).contains("1 service(s), 1 not ready");
    }

    @Test
    void badFloorIsAUsageError() {
        run("--min", "TLSv1", dir.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err).contains("--min: expected TLSv1.2 or TLSv1.3");
    }

    @Test
    void skippedLinesNeverStopTheRead() throws Exception {
        List<String> garbage = new ArrayList<>();
        for (String g : new String[] {
            "[]",
            "null",
            "{",
            "{}",
            "{\"event.name\":1}",
            "\"x\"",
            "{\"a\":1} {\"b\":2}",
            "{\"event.name\":\"tls.handshake\",\"timestamp\":\"t\",\"service.name\":\"s\"}"
        }) {
            garbage.add(g);
        }
        garbage.add(handshake(SHOP, "2026-11-02T10:00:00.000Z", "client", "1.3", "ok", 443, "c"));
        write("g.jsonl", garbage, "\r\n\n");
        JsonNode doc = json("--format", "json", dir.resolve("g.jsonl").toString());
        assertThat(doc.get("lines.used").asInt()).isEqualTo(1);
        assertThat(doc.get("lines.skipped").asInt()).isEqualTo(8);
    }
}
