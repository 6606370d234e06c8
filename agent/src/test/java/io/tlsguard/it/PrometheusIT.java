package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.PeerServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Prometheus recipe of docs/jdk-tools.md, as a user runs it: the real JMX exporter java agent next to tlsguard,
 * with the rules file docs/prometheus/tlsguard.yaml as shipped, scraped on 127.0.0.1 while a legacy client makes
 * TLSv1 handshakes. The exporter starts first and creates the platform MBean server; tlsguard's MBean must be in
 * its scrapes within a second of the exporter answering (tlsguard registers it lazily, never creating the server).
 */
class PrometheusIT {
    static final Path EXPORTER =
            Paths.get(System.getProperty("tlsguard.jmx.exporter", "target/it-agents/jmx_prometheus_javaagent.jar"));
    static final Path RULES =
            Paths.get(System.getProperty("tlsguard.jmx.exporter.config", "../docs/prometheus/tlsguard.yaml"));
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final PeerServer peer =
            new PeerServer(() -> Jvm.onBuildJdk().legacySecurity().jsseServer("socket", "none"));

    /** JDK 8 and 17: the exporter is Java 8 bytecode; the MBean code is the same on every JDK. */
    static Stream<Jdk> jdks() {
        return Jdks.all().filter(j -> j.feature() == 8 || j.feature() == 17);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void exporterScrapesTlsguardsCounters(Jdk jdk, @TempDir Path dir) throws Exception {
        int port = freePort();
        Path report = dir.resolve("report.jsonl");
        try (LiveProcess app = Jvm.on(jdk)
                .jvmArg("-javaagent:" + EXPORTER + "=127.0.0.1:" + port + ":" + RULES)
                .agent("report=" + report)
                .legacySecurity()
                .jsseSampleClass(
                        "io.tlsguard.samples.jsse.LongLivedClient", Integer.toString(peer.port()), "--pause-ms", "20")
                .start(dir.resolve("app.err"))) {
            long answered = awaitFirstScrape(app, port);
            Map<String, Double> first = awaitTlsguardMetrics(app, port);
            long registeredAfterMs = (System.nanoTime() - answered) / 1_000_000;
            assertThat(registeredAfterMs)
                    .as("tlsguard's MBean in the scrape %d ms after the exporter answered", registeredAfterMs)
                    .isLessThan(3_000);
            app.await(l -> l.startsWith("READY"), WAIT, "READY");
            app.await(l -> l.startsWith("HS "), WAIT, "a handshake");

            Map<String, Double> m =
                    awaitMetric(app, port, "tlsguard_handshakes_total{protocol=\"TLSv1\",side=\"client\"}");
            assertThat(m.get("tlsguard_handshakes_total{protocol=\"TLSv1\",side=\"client\"}"))
                    .isPositive();
            for (String protocol : new String[] {"SSLv3", "TLSv1.1", "TLSv1.2", "TLSv1.3"}) {
                assertThat(m)
                        .containsEntry("tlsguard_handshakes_total{protocol=\"" + protocol + "\",side=\"client\"}", 0.0);
            }
            assertThat(m).containsKey("tlsguard_handshakes_total{protocol=\"TLSv1\",side=\"server\"}");
            assertThat(m.get("tlsguard_pins_total"))
                    .as("the sample's pinned context, factory, parameters")
                    .isPositive();
            assertThat(m).containsEntry("tlsguard_legacy_peers", 1.0); // one server, 127.0.0.1:port
            assertThat(m.get("tlsguard_legacy_call_sites")).isPositive();
            assertThat(m).containsEntry("tlsguard_report_events_dropped_total", 0.0);
            assertThat(m.get("tlsguard_report_events_written_total")).isPositive();
            assertThat(m).containsEntry("tlsguard_hook_errors_total", 0.0);
            assertThat(m).containsKey("tlsguard_handshake_failures_total");
            double last = m.get("tlsguard_last_legacy_handshake_timestamp_seconds");
            assertThat(last).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
            assertThat(first)
                    .as("counters only grow")
                    .allSatisfy((k, v) ->
                            assertThat(m.get(k)).isGreaterThanOrEqualTo(k.startsWith("tlsguard_legacy") ? 0 : v));
            assertThat(app.stderrText()).doesNotContain("Exception");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** When the exporter first answered a scrape (the JVM is starting: it may take a moment). */
    static long awaitFirstScrape(LiveProcess app, int port) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (scrape(port).isPresent()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > end || !app.alive()) {
                throw new AssertionError("the exporter never answered on 127.0.0.1:" + port + ": " + app.stderrText());
            }
            Thread.sleep(50);
        }
    }

    static Map<String, Double> awaitTlsguardMetrics(LiveProcess app, int port) throws Exception {
        return awaitMetric(app, port, "tlsguard_hook_errors_total");
    }

    static Map<String, Double> awaitMetric(LiveProcess app, int port, String metric) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (true) {
            Optional<String> body = scrape(port);
            if (body.isPresent()) {
                last = body.get();
                Map<String, Double> m = parse(last);
                if (m.containsKey(metric)) {
                    return m;
                }
            }
            if (System.nanoTime() > end || !app.alive()) {
                throw new AssertionError("no " + metric + " in the scrape:\n" + last + "\n" + app.stderrText());
            }
            Thread.sleep(50);
        }
    }

    static Optional<String> scrape(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
            c.setConnectTimeout(1_000);
            c.setReadTimeout(5_000);
            if (c.getResponseCode() != 200) {
                return Optional.empty();
            }
            try (InputStream in = c.getInputStream()) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException notYet) {
            return Optional.empty();
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^(tlsguard_\\w+)(?:\\{([^}]*)\\})? (\\S+)$");

    /** tlsguard's samples of the text format, labels sorted by name: {@code name{a="x",b="y"} -> value}. */
    static Map<String, Double> parse(String body) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String labels = "";
            if (m.group(2) != null && !m.group(2).isEmpty()) {
                labels = "{"
                        + String.join(
                                ",", new TreeSet<>(java.util.List.of(m.group(2).split(",")))) + "}";
            }
            samples.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
        }
        return samples;
    }
}
