package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.Report;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live-process workflow on real target JVMs (JDK 8, 11, 17, 21, 25), driving the built CLI jar as a user would:
 * list, attach in report mode, read the report, status, switch to enforce, detach, while the target's handshake
 * loop runs throughout. The target (LongLivedClient) created its TLSv1-pinned SSLContext, socket factory and
 * SSLEngine parameters before any attach; it talks to a TLS server in a separate JVM (no agent) on 127.0.0.1.
 */
class LiveAttachIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String[] SCENARIOS = {"ctx", "factory", "engine", "https"};

    @TempDir
    static Path work;

    static LiveProcess server;
    static int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = Jvm.onBuildJdk().legacySecurity().jsseServer("socket", "none").start(work.resolve("server.err"));
        port = server.awaitListening();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** The long-lived legacy client on {@code jdk}, run as the tests' user, once it is READY. */
    static LiveProcess startTarget(Jdk jdk, Path dir, List<String> jvmOptions, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(Integer.toString(port)));
        args.addAll(List.of(extra));
        LiveProcess target = Jvm.on(jdk)
                .behind(TestUser.prefix())
                .legacySecurity()
                .jvmArgs(jvmOptions)
                .jsseSampleClass("io.tlsguard.samples.jsse.LongLivedClient", args.toArray(String[]::new))
                .start(dir.resolve("target-" + jdk.feature() + ".err"));
        target.await(l -> l.startsWith("READY"), WAIT, "READY");
        return target;
    }

    /** An "HS seq scenario OK|FAIL ..." line of the target. */
    static final class Hs {
        final long seq;
        final String scenario;
        final boolean ok;
        final String protocol;
        final String line;

        Hs(String line) {
            String[] w = line.split(" ");
            this.line = line;
            this.seq = Long.parseLong(w[1]);
            this.scenario = w[2];
            this.ok = w[3].equals("OK");
            this.protocol = ok ? w[4] : null;
        }
    }

    static List<Hs> handshakes(LiveProcess target) {
        return target.lines().stream()
                .filter(l -> l.startsWith("HS "))
                .map(Hs::new)
                .collect(Collectors.toList());
    }

    static long lastSeq(LiveProcess target) {
        List<Hs> all = handshakes(target);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).seq;
    }

    /** Waits until every scenario completed at least twice with a sequence number above {@code after}; returns those. */
    static List<Hs> handshakesAfter(LiveProcess target, long after) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Hs> newer =
                    handshakes(target).stream().filter(h -> h.seq > after).collect(Collectors.toList());
            boolean enough = true;
            for (String s : SCENARIOS) {
                enough &= newer.stream().filter(h -> h.scenario.equals(s)).count() >= 2;
            }
            if (enough) {
                return newer;
            }
            if (System.nanoTime() > end || !target.alive()) {
                throw new AssertionError(
                        "too few handshakes after " + after + ": " + target.tail(10) + " " + target.stderrText());
            }
            Thread.sleep(50);
        }
    }

    /** {@code status --json}: one line, the agent's reply (keys: {@link ReplyKey}). */
    static JsonNode statusJson(Path cwd, long pid) throws Exception {
        Fork.Result status = CliRun.run(cwd, "status", Long.toString(pid), "--json");
        assertThat(status.exit()).as("status %s", status).isZero();
        assertThat(status.stdout().lines()).as("status %s", status).hasSize(1);
        JsonNode reply = new ObjectMapper().readTree(status.stdout());
        assertThat(reply.get(ReplyKey.OK.key()).booleanValue())
                .as("status %s", status)
                .isTrue();
        return reply;
    }

    @SuppressWarnings("unchecked")
    static long totalHandshakes(JsonNode status) {
        long total = 0;
        for (JsonNode n : status.get(ReplyKey.HANDSHAKES_BY_VERSION.key())) {
            total += n.longValue();
        }
        return total;
    }

    /** The report's events named {@code name}, every line checked against docs/report.schema.json. */
    static List<JsonNode> reportEvents(Path report, String name) throws Exception {
        return Files.exists(report) ? Report.read(report).named(name) : List.of();
    }

    static long awaitReportCount(Path report, long expected) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long n;
        do {
            n = reportEvents(report, "tls.handshake").size();
            if (n >= expected) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        Thread.sleep(300); // and no more than expected arrive
        return reportEvents(report, "tls.handshake").size();
    }

    static boolean atLeastTls12(String protocol) {
        return protocol.equals("TLSv1.2") || protocol.equals("TLSv1.3");
    }

    /**
     * One JDK's workflow. JDKs run two at a time (see junit-platform.properties): each has its own target JVM,
     * working directory and report, the server serves each connection in a thread of its own, and every assertion
     * names its target by pid.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    @Execution(ExecutionMode.CONCURRENT)
    void liveWorkflow(Jdk jdk, @TempDir Path cwd) throws Exception {
        int version = jdk.feature();
        // JDK 21 runs without -XX:+EnableDynamicAgentLoading (the warning case), JDK 25 with it
        List<String> opts = version >= 25 ? List.of("-XX:+EnableDynamicAgentLoading") : List.of();
        int serverLines = server.lines().size();
        TestUser.own(cwd); // the target writes its report here
        try (LiveProcess target = startTarget(jdk, cwd, opts, "--pause-ms", "10")) {
            long pid = target.pid();
            handshakesAfter(target, 0);
            assertThat(handshakes(target))
                    .allSatisfy(h -> assertThat(h.protocol).as(h.line).isEqualTo("TLSv1"));
            // a connection opened before the attach, used after it: left alone
            assertThat(target.command("hold", "HELD")).isEqualTo("HELD TLSv1");

            // find the JVM
            Fork.Result list = CliRun.run(cwd, "list");
            assertThat(list.exit()).as("list %s", list).isZero();
            assertThat(list.stdout())
                    .containsPattern(
                            "(?m)^" + pid + "\\s+\\S+\\s+-\\s+io\\.tlsguard\\.samples\\.jsse\\.LongLivedClient$");

            // attach in report mode; the relative report path is resolved by the CLI, in its working directory
            Fork.Result attach =
                    CliRun.run(cwd, "attach", Long.toString(pid), "--mode", "report", "--report", "report.jsonl");
            assertThat(attach.exit()).as("attach %s", attach).isZero();
            Path report = cwd.resolve("report.jsonl");
            assertThat(attach.stdout()).contains("attached tlsguard", "mode=report", "report=" + report);
            assertThat(attach.stderr()).doesNotContain("Exception", "\tat ");
            if (version == 21) {
                assertThat(attach.stderr()).contains("-XX:+EnableDynamicAgentLoading");
            } else {
                assertThat(attach.stderr()).isEmpty();
            }
            long afterReport = lastSeq(target) + 1; // one may have been in flight
            List<Hs> reported = handshakesAfter(target, afterReport);
            assertThat(reported)
                    .allSatisfy(h -> assertThat(h.protocol)
                            .as("report mode changes nothing: " + h.line)
                            .isEqualTo("TLSv1"));

            // read the report
            assertThat(report).exists();
            List<JsonNode> events = reportEvents(report, "tls.handshake");
            assertThat(events).isNotEmpty();
            assertThat(events)
                    .anySatisfy(e ->
                            assertThat(Report.text(e, "tls.protocol.version")).isEqualTo("1"));
            assertThat(events)
                    .allSatisfy(e -> assertThat(Report.text(e, "tlsguard.mode")).isEqualTo("report"));

            // status
            JsonNode status = statusJson(cwd, pid);
            assertThat(status.get(ReplyKey.MODE.key()).asText()).isEqualTo("report");
            assertThat(status.get(ReplyKey.MIN.key()).asText()).isEqualTo("TLSv1.2");
            assertThat(status.get(ReplyKey.REPORT.key()).asText()).isEqualTo(report.toString());
            assertThat(status.get(ReplyKey.HANDSHAKES_BY_VERSION.key()).get("1").longValue())
                    .isPositive();
            list = CliRun.run(cwd, "list");
            assertThat(list.stdout()).containsPattern("(?m)^" + pid + "\\s+\\S+\\s+report \\(\\S+\\)\\s+io\\.tlsguard");

            // switch to enforce: same hooks, new mode; pinned context, factory and engine parameters made before the
            // attach
            Fork.Result enforce = CliRun.run(cwd, "attach", Long.toString(pid), "--mode", "enforce");
            assertThat(enforce.exit()).as("enforce %s", enforce).isZero();
            assertThat(enforce.stdout()).contains("reconfigured", "mode=enforce", "min=TLSv1.2", "report=" + report);
            long afterEnforce = lastSeq(target) + 1;
            List<Hs> enforced = handshakesAfter(target, afterEnforce);
            assertThat(enforced)
                    .allSatisfy(h -> assertThat(atLeastTls12(h.protocol))
                            .as("enforce: " + h.line)
                            .isTrue());
            assertThat(target.command("release", "RELEASED")).isEqualTo("RELEASED OK TLSv1");

            // one event per handshake after the reconfiguration (one set of hooks)
            assertThat(target.command("pause", "PAUSED")).isEqualTo("PAUSED");
            JsonNode before = statusJson(cwd, pid);
            long eventsBefore = awaitReportCount(report, 0);
            assertThat(target.command("burst 8", "BURST")).isEqualTo("BURST ok=8 fail=0");
            assertThat(awaitReportCount(report, eventsBefore + 8)).isEqualTo(eventsBefore + 8);
            JsonNode after = statusJson(cwd, pid);
            assertThat(totalHandshakes(after) - totalHandshakes(before)).isEqualTo(8);
            assertThat(after.get(ReplyKey.MODE.key()).asText()).isEqualTo("enforce");
            assertThat(after.get(ReplyKey.EVENTS_DROPPED.key()).longValue()).isZero();
            assertThat(target.command("resume", "RESUMED")).isEqualTo("RESUMED");

            Fork.Result human = CliRun.run(cwd, "status", Long.toString(pid));
            assertThat(human.exit()).isZero();
            assertThat(human.stdout())
                    .contains(
                            "enforce",
                            "TLSv1.2",
                            report.toString(),
                            ReplyKey.HANDSHAKES_BY_VERSION.key(),
                            ReplyKey.PINS.key(),
                            ReplyKey.EVENTS_DROPPED.key());

            // detach: original bytecode, reporting stops, new connections as before tlsguard
            Fork.Result detach = CliRun.run(cwd, "detach", Long.toString(pid));
            assertThat(detach.exit()).as("detach %s", detach).isZero();
            assertThat(detach.stdout()).contains("detached");
            long afterDetach = lastSeq(target) + 1;
            long reportSize = Files.size(report);
            List<Hs> detached = handshakesAfter(target, afterDetach);
            // soft: the checks below still run (and report) when this one fails
            SoftAssertions soft = new SoftAssertions();
            for (Hs h : detached) {
                soft.assertThat(h.protocol)
                        .as("after detach, as before tlsguard: " + h.line)
                        .isEqualTo("TLSv1");
            }
            assertThat(Files.size(report)).as("no reporting after detach").isEqualTo(reportSize);
            Fork.Result gone = CliRun.run(cwd, "status", Long.toString(pid));
            assertThat(gone.exit()).as("status after detach %s", gone).isEqualTo(ExitCodes.NOT_RUNNING);
            assertThat(gone.stderr()).contains("not running").doesNotContain("\tat ");
            list = CliRun.run(cwd, "list");
            assertThat(list.stdout()).containsPattern("(?m)^" + pid + "\\s+\\S+\\s+-\\s+io\\.tlsguard");

            // throughout: no connection failed, none was lost (sequence numbers continuous)
            List<Hs> all = handshakes(target);
            assertThat(all).allSatisfy(h -> assertThat(h.ok).as(h.line).isTrue());
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).seq).isEqualTo(i + 1L);
            }
            if (version == 21) {
                // once: at the first attach; status, reconfigure and detach went through tlsguard's MBean
                assertThat(target.stderrText().split("WARNING: A Java agent has been loaded dynamically", -1))
                        .as("one dynamic-agent warning: %s", target.stderrText())
                        .hasSize(2);
            } else if (version == 25) {
                assertThat(target.stderrText()).doesNotContain("loaded dynamically");
            }
            // stop the loop between handshakes, so that ending the target resets no connection
            assertThat(target.command("pause", "PAUSED")).isEqualTo("PAUSED");
            assertThat(server.lines().subList(serverLines, server.lines().size()))
                    .as("server side")
                    .noneMatch(l -> l.startsWith("SERVER FAIL"));
            soft.assertAll();
        }
    }

    /**
     * Attach and reconfigure work on a JVM with about 10,000 loaded classes (the first attach retransforms the hooked
     * JSSE classes among them). How long it takes is a benchmark, not a test: benchmarks/ (AttachTimer, the attach row
     * of docs/performance.md) measures it on a quiet machine; a timing assertion here only failed under load.
     */
    @Test
    void attachWorksWith10kClassesLoaded(@TempDir Path cwd) throws Exception {
        assumeTrue(
                TestUser.RUN_AS.isEmpty(),
                "run once, in the execution as the current user (liveWorkflow runs in both)");
        for (Jdk jdk :
                Jdks.all().filter(j -> List.of(8, 17, 25).contains(j.feature())).toList()) {
            int version = jdk.feature();
            List<String> opts = version >= 21 ? List.of("-XX:+EnableDynamicAgentLoading") : List.of();
            try (LiveProcess target = startTarget(jdk, cwd, opts, "--pause-ms", "50", "--load-classes", "10000")) {
                Fork.Result attach = CliRun.run(
                        cwd,
                        "attach",
                        Long.toString(target.pid()),
                        "--mode",
                        "enforce",
                        "--report",
                        "loaded-" + version + ".jsonl");
                assertThat(attach.exit()).as("attach %s", attach).isZero();
                Fork.Result again = CliRun.run(cwd, "attach", Long.toString(target.pid()), "--mode", "report");
                assertThat(again.exit()).as("reconfigure %s", again).isZero();
                target.command("pause", "PAUSED");
            }
        }
    }
}
