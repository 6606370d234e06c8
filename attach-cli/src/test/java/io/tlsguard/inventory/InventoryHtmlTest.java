package io.tlsguard.inventory;

import static io.tlsguard.inventory.Lines.handshake;
import static io.tlsguard.inventory.Lines.identity;
import static io.tlsguard.inventory.Lines.pin;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The HTML page in a real headless Chromium: the script ran under the page's Content-Security-Policy (it marks the
 * body), nothing on the console, the verdicts in the DOM, and hostile report values as text, never as elements.
 */
class InventoryHtmlTest {
    @TempDir
    Path dir;

    @Test
    void chromiumRendersVerdictsAndShowsHostileValuesAsText() throws Exception {
        Chromium.assumeInstalled();
        Path reports = dir.resolve("reports");
        Files.createDirectories(reports);
        Files.writeString(
                reports.resolve("tlsguard-1.jsonl"),
                String.join(
                                "\n",
                                List.of(
                                        handshake(
                                                identity("<img src=x id=pwned-service>", "h", 1),
                                                "2026-11-02T10:00:00.000Z",
                                                "client",
                                                "1",
                                                "<script id=pwned-peer>document.title='pwned'</script>",
                                                443,
                                                "c"),
                                        pin(
                                                identity("billing", "h", 2),
                                                "2026-11-02T10:00:00.000Z",
                                                "[\"TLSv1\"]",
                                                "com.example.Mailer.send",
                                                82),
                                        handshake(
                                                identity("shop", "h", 3),
                                                "2026-11-03T10:00:00.000Z",
                                                "client",
                                                "1.3",
                                                "api",
                                                443,
                                                "c")))
                        + "\n");
        Path page = dir.resolve("inventory.html");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new InventoryCommand());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--format", "html", "-o", page.toString(), reports.toString()))
                .as(err.toString())
                .isZero();

        Chromium.Rendered r = Chromium.open(page, dir);

        assertThat(r.console).as("console messages (errors, CSP refusals)").isEmpty();
        assertThat(r.dom).contains("data-script=\"ran\"");
        assertThat(r.dom).contains("<tr data-service=\"shop\" data-ready=\"true\">");
        assertThat(r.dom).contains("<tr data-service=\"billing\" data-ready=\"false\">");
        assertThat(r.dom).contains("&lt;script id=pwned-peer&gt;", "&lt;img src=x id=pwned-service&gt;");
        assertThat(r.dom).doesNotContain("id=\"pwned-peer\"", "id=pwned-peer>", "<img src=\"x\"", "pwned</title>");
        assertThat(r.dom).contains("<input type=\"search\" class=\"filter\"");
    }
}
