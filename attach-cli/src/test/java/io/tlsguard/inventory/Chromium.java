package io.tlsguard.inventory;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Opens a page in the real headless Chromium (Debian's package; .ci/run installs it) and gives its DOM after the
 * scripts ran, and what it printed on the console (errors, CSP refusals). Tests skip, saying so, when chromium is
 * absent.
 */
final class Chromium {
    /** What the page became, and its console. */
    static final class Rendered {
        final String dom;
        final List<String> console;

        Rendered(String dom, List<String> console) {
            this.dom = dom;
            this.console = console;
        }
    }

    private Chromium() {}

    static Path binary() {
        for (String name : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Paths.get(name))) {
                return Paths.get(name);
            }
        }
        return null;
    }

    static void assumeInstalled() {
        assumeTrue(
                binary() != null,
                "chromium is not installed (apt-get install -y chromium): the HTML page is not rendered");
    }

    static Rendered open(Path page, Path work) throws IOException, InterruptedException {
        assumeInstalled();
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path dom = work.resolve("dom-" + System.nanoTime() + ".html");
        Path log = work.resolve("chromium-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                binary().toString(),
                "--headless",
                "--no-sandbox", // root in CI; the page is our own, local file
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                page.toUri().toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(dom.toFile())
                .redirectError(log.toFile())
                .start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(log));
        }
        List<String> console = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(":CONSOLE"))
                .collect(Collectors.toList());
        String text = Files.readString(dom, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || text.isEmpty()) {
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(log));
        }
        return new Rendered(text, console);
    }
}
