package io.tlsguard.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.TestUser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe of docs/fleet.md, "Shipping the report files with syslog-ng": Debian's syslog-ng runs
 * docs/syslog-ng/tlsguard.conf (tails the reports directory) and a second one runs docs/syslog-ng/collector.conf
 * (receives on 127.0.0.1, writes one file per sending host), both in the foreground as the unprivileged test user,
 * every path in this test's directory (no daemon, no /dev/log). The JSSE sample, with the real agent, writes two
 * services' reports while they run; the shipped file holds exactly the original lines, byte for byte, and the
 * inventory says the same of it as of the originals. Skips when syslog-ng is not installed (.ci/run installs it).
 * First failsafe execution only (it picks its user itself).
 */
class SyslogNgShippingIT {
    static final Path SYSLOG_NG = Path.of("/usr/sbin/syslog-ng");
    static final Path DOCS =
            Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("syslog-ng");

    @TempDir
    Path dir;

    final List<Process> daemons = new ArrayList<>();

    @Test
    void shipsTheReportLinesByteForByteAndTheInventoryReadsTheCopy() throws Exception {
        assumeTrue(
                Files.isExecutable(SYSLOG_NG),
                "syslog-ng is not installed (apt-get install syslog-ng-core; .ci/run installs it)");
        TestUser.assumeAvailable();
        assumeTrue(TestUser.RUN_AS.isEmpty(), "picks its user itself: run once, in the first execution");
        Path reports = dir.resolve("reports");
        Path store = dir.resolve("store");
        for (Path d : List.of(dir, reports, store)) {
            Files.createDirectories(d);
            TestUser.chown(d, TestUser.NAME);
        }
        String port = Integer.toString(freePort());
        try {
            start(
                    "collector",
                    Map.of("TLSGUARD_LISTEN", "127.0.0.1", "TLSGUARD_PORT", port, "TLSGUARD_STORE", store.toString()));
            awaitListening(Integer.parseInt(port)); // else the shipper's first connect fails and it waits to retry
            start(
                    "tlsguard",
                    Map.of(
                            "TLSGUARD_REPORTS",
                            reports.toString(),
                            "TLSGUARD_COLLECTOR",
                            "127.0.0.1",
                            "TLSGUARD_PORT",
                            port));

            List<String> asUser = TestUser.as(TestUser.NAME);
            Fork.Result billing = Jvm.onBuildJdk()
                    .behind(asUser)
                    .legacySecurity()
                    .agent("service=billing,report=" + reports.resolve("tlsguard-%p.jsonl"))
                    .jsseSample("suite", "ctx-tlsv1", "tls13-socket")
                    .run();
            assertThat(billing.exit()).as(billing.toString()).isZero();
            Fork.Result shop = Jvm.onBuildJdk()
                    .behind(asUser)
                    .agent("service=shop,report=" + reports.resolve("tlsguard-%p.jsonl"))
                    .jsseSample("suite", "tls12-socket", "tls13-socket")
                    .run();
            assertThat(shop.exit()).as(shop.toString()).isZero();

            List<String> original = new ArrayList<>();
            try (Stream<Path> files = Files.list(reports)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    original.addAll(Files.readAllLines(f));
                }
            }
            assertThat(original).as("the agent wrote both reports").hasSizeGreaterThan(4);
            Path shipped = store.resolve("127.0.0.1").resolve("tlsguard.jsonl");
            List<String> arrived = awaitLines(shipped, original.size());
            assertThat(arrived)
                    .as("every report line arrives once, byte for byte (syslog-ng logs: %s)", logs())
                    .containsExactlyInAnyOrderElementsOf(original);
        } finally {
            stopAll();
        }

        JsonNode before = inventory(reports);
        JsonNode after = inventory(store);
        assertThat(after.get("lines.skipped").asInt()).isZero();
        for (String service : List.of("billing", "shop")) {
            JsonNode b = InventoryTest.service(before, service);
            JsonNode a = InventoryTest.service(after, service);
            assertThat(a.get("ready")).as(service).isEqualTo(b.get("ready"));
            assertThat(a.get("handshakes.established")).as(service).isEqualTo(b.get("handshakes.established"));
            assertThat(a.get("pins")).as(service).isEqualTo(b.get("pins"));
        }
        assertThat(InventoryTest.service(after, "billing").get("ready").asBoolean())
                .isFalse();
        assertThat(InventoryTest.service(after, "shop").get("ready").asBoolean())
                .isTrue();
    }

    /** One syslog-ng in the foreground as the test user, its state files in the test's directory. */
    void start(String config, Map<String, String> env) throws IOException {
        Path conf = TestUser.chown(
                Files.copy(DOCS.resolve(config + ".conf"), dir.resolve(config + ".conf")), TestUser.NAME);
        List<String> cmd = new ArrayList<>(TestUser.as(TestUser.NAME));
        cmd.addAll(List.of(
                SYSLOG_NG.toString(),
                "-F",
                "--no-caps",
                "-f",
                conf.toString(),
                "--persist-file",
                dir.resolve(config + ".persist").toString(),
                "--pidfile",
                dir.resolve(config + ".pid").toString(),
                "--control",
                dir.resolve(config + ".ctl").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(config + ".log").toFile());
        pb.environment().putAll(env);
        daemons.add(pb.start());
    }

    /** Ends each syslog-ng by the pid it wrote (runuser may not pass a signal on), then runuser. */
    void stopAll() throws Exception {
        for (String config : List.of("tlsguard", "collector")) {
            Path pidFile = dir.resolve(config + ".pid");
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .ifPresent(ProcessHandle::destroy);
            }
        }
        for (Process p : daemons) {
            p.destroy();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime() < deadline && daemons.get(0).isAlive())
                        .as("the collector listens on %d: %s", port, logs())
                        .isTrue();
                Thread.sleep(100);
            }
        }
    }

    List<String> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= count) {
                Thread.sleep(1_500); // nothing more may come: a duplicate would arrive now
                return Files.readAllLines(file);
            }
            for (Process p : daemons) {
                assertThat(p.isAlive()).as("syslog-ng stopped: %s", logs()).isTrue();
            }
            Thread.sleep(200);
        }
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String config : List.of("tlsguard", "collector")) {
            Path log = dir.resolve(config + ".log");
            b.append(config)
                    .append(": ")
                    .append(Files.exists(log) ? Files.readString(log) : "-")
                    .append('\n');
        }
        return b.toString();
    }

    static JsonNode inventory(Path reports) throws Exception {
        Fork.Result json = InventoryIT.cli("inventory", "--format", "json", reports.toString());
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.stdout());
        assertThat(InventoryTest.schemaViolations(doc)).as(json.stdout()).isEmpty();
        return doc;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
