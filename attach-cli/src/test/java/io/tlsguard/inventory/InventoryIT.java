package io.tlsguard.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory on reports the real shaded agent wrote: the JSSE sample as two services, {@code billing} (pinned to
 * TLSv1 on a JVM that allows it: a legacy handshake as client and as server, and the pin) and {@code shop} (TLS
 * 1.2 and 1.3 only); the built CLI jar reads both directories and says billing is not ready and why, and shop is
 * ready, in JSON (checked against docs/inventory.schema.json) and in the HTML page as Chromium renders it. One JDK
 * (the build's): what the inventory reads is the report format, the same on every JDK. Runs in the first failsafe
 * execution only (no users or permissions involved).
 */
class InventoryIT {
    @TempDir
    Path dir;

    @Test
    void readsTwoServicesReportsAndTellsWhichIsReady() throws Exception {
        assumeTrue(TestUser.RUN_AS.isEmpty(), "reads files only: once, in the first execution");
        Path reports = dir.resolve("reports");
        Files.createDirectories(reports.resolve("host-a"));
        Files.createDirectories(reports.resolve("host-b"));
        Fork.Result billing = Jvm.onBuildJdk()
                .legacySecurity()
                .agent("service=billing,report=" + reports.resolve("host-a/tlsguard-%p.jsonl"))
                .jsseSample("suite", "ctx-tlsv1", "tls13-socket")
                .run();
        assertThat(billing.exit()).as(billing.toString()).isZero();
        Fork.Result shop = Jvm.onBuildJdk()
                .agent("service=shop,report=" + reports.resolve("host-b/tlsguard-%p.jsonl"))
                .jsseSample("suite", "tls12-socket", "tls13-socket")
                .run();
        assertThat(shop.exit()).as(shop.toString()).isZero();

        Fork.Result json = cli(
                "inventory",
                "--format",
                "json",
                reports.resolve("host-a").toString(),
                reports.resolve("host-b").toString());
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.stdout());
        assertThat(InventoryTest.schemaViolations(doc)).as(json.stdout()).isEmpty();
        assertThat(doc.get("files.read").asInt()).isEqualTo(2);
        assertThat(doc.get("lines.skipped").asInt())
                .as("every line of this tlsguard has service.name")
                .isZero();

        JsonNode b = InventoryTest.service(doc, "billing");
        assertThat(b.get("ready").asBoolean()).as(b.toString()).isFalse();
        assertThat(b.get("legacy_as_client").get(0).get("server").asText()).startsWith("127.0.0.1:");
        assertThat(b.get("legacy_as_client").get(0).get("protocols").toString()).contains("TLSv1");
        assertThat(b.get("legacy_as_server").get(0).get("client").asText()).isEqualTo("127.0.0.1");
        JsonNode pin = b.get("pins").get(0);
        assertThat(pin.get("blocking").asBoolean()).isTrue();
        assertThat(pin.get("tlsguard.api").asText()).isEqualTo("SSLContext.getInstance");
        assertThat(pin.get("code.function.name").asText()).startsWith("io.tlsguard.samples.jsse.LegacyJsse");
        assertThat(pin.get("code.file.path").asText()).isEqualTo("LegacyJsse.java");
        assertThat(pin.get("tlsguard.library.jar").asText()).endsWith("jsse-legacy.jar");
        assertThat(b.get("instances").get(0).get("process.pid").asLong()).isPositive();
        assertThat(b.get("instances").get(0).get("host.name").asText()).isNotBlank();

        JsonNode s = InventoryTest.service(doc, "shop");
        assertThat(s.get("ready").asBoolean()).as(s.toString()).isTrue();
        assertThat(s.get("handshakes.established").get("TLSv1.3").asInt()).isPositive();
        assertThat(s.get("handshakes.established").get("TLSv1.2").asInt()).isPositive();

        Path page = dir.resolve("inventory.html");
        Fork.Result html = cli("inventory", "--format", "html", "-o", page.toString(), reports.toString());
        assertThat(html.exit()).as(html.toString()).isZero();
        assertThat(html.stderr()).contains("2 service(s), 1 not ready for TLSv1.2");
        Chromium.Rendered r = Chromium.open(page, dir);
        assertThat(r.console).isEmpty();
        assertThat(r.dom).contains("<tr data-service=\"billing\" data-ready=\"false\">");
        assertThat(r.dom).contains("<tr data-service=\"shop\" data-ready=\"true\">");
        assertThat(r.dom).contains("SSLContext.getInstance", "LegacyJsse.java");
    }

    static Fork.Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Artifacts.cliJar().toString()));
        cmd.addAll(List.of(args));
        return Fork.of(cmd).run();
    }
}
