package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Options, the report's destination, JAVA_TOOL_OPTIONS and what the host sees on stderr. */
class AgentStartupIT {
    private static final Jdk JDK17 = Jdks.get("jdk17");

    /** Enforce and deny fail closed: a JVM asked to be guarded does not run unguarded. */
    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("mode=bogus", 1, "option mode=bogus is not one of report, enforce, deny"),
                Arguments.of("mode=enforce,colour=red", 1, "unknown option 'colour'"),
                Arguments.of("mode=deny,min=TLSv1.4", 1, "option min=TLSv1.4 is not one of TLSv1.2, TLSv1.3"),
                Arguments.of(
                        "mode=enforce,report=/nonexistent-dir/r.jsonl",
                        1,
                        "cannot write the report to /nonexistent-dir/r.jsonl"),
                Arguments.of("colour=red", 0, "unknown option 'colour'"),
                Arguments.of(
                        "mode=report,report=/nonexistent-dir/r.jsonl",
                        0,
                        "cannot write the report to /nonexistent-dir/r.jsonl"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badOptionGivesOneLineNamingIt(String options, int exit, String message) throws Exception {
        Fork.Result run =
                Jvm.on(JDK17).agent(options).jsseSample("suite", "tls13-socket").run();
        assertThat(run.exit()).as(run.toString()).isEqualTo(exit);
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderrLines().get(0))
                .startsWith("tlsguard: ")
                .contains(message)
                .contains(exit == 1 ? "stopping the JVM because enforce/deny fail closed" : "tlsguard is not running");
        if (exit == 0) {
            assertThat(run.negotiated("tls13-socket")).isEqualTo("TLSv1.3");
        } else {
            assertThat(run.stdout()).doesNotContain("SCENARIO");
        }
    }

    /** The default: ~/.local/state/tlsguard (made owner-only), a file named with the pid; see also ReportFileIT. */
    @Test
    void defaultReportIsAnOwnerOnlyFileInTheUsersStateDirectory(@TempDir Path home) throws Exception {
        Fork.Result run = Jvm.on(JDK17)
                .agent(null)
                .jvmArg("-Duser.home=" + home)
                .env("XDG_STATE_HOME", null)
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(run.exit()).isZero();
        Path dir = home.resolve(".local/state/tlsguard");
        List<Path> reports;
        try (Stream<Path> files = Files.list(dir)) {
            reports = files.filter(p -> p.getFileName().toString().matches("tlsguard-\\d+\\.jsonl"))
                    .toList();
        }
        assertThat(reports).hasSize(1);
        assertThat(run.stderrLines())
                .containsExactly(
                        "tlsguard " + AgentVersion.get() + ": mode=report min=TLSv1.2 report=" + reports.get(0));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(reports.get(0))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(Report.read(reports.get(0)).named("tls.handshake")).hasSize(2);
    }

    /** XDG_STATE_HOME, when set, is where the default report goes. */
    @Test
    void defaultReportFollowsXdgStateHome(@TempDir Path state) throws Exception {
        Fork.Result run = Jvm.on(JDK17)
                .agent(null)
                .env("XDG_STATE_HOME", state.toString())
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(run.exit()).isZero();
        try (Stream<Path> files = Files.list(state.resolve("tlsguard"))) {
            assertThat(files)
                    .singleElement()
                    .satisfies(report -> assertThat(run.stderrLines())
                            .containsExactly(
                                    "tlsguard " + AgentVersion.get() + ": mode=report min=TLSv1.2 report=" + report));
        }
    }

    @Test
    void percentPBecomesThePid(@TempDir Path tmp) throws Exception {
        Fork.Result run = Jvm.on(JDK17)
                .agent("report=" + tmp + "/r-%p.jsonl")
                .jsseSample("suite", "tls13-socket")
                .run();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as(run.toString())
                    .singleElement()
                    .satisfies(name -> assertThat(name).matches("r-\\d+\\.jsonl"));
        }
    }

    /**
     * tlsguard's class loader opens its jar from the URL the JVM gives for it: a path that URLs escape (space,
     * '#', '%', '+') loads the same, with the manifest's version (the start line prints the package's) and the
     * hooks reporting.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void startsFromAJarWhosePathURLsEscape(Jdk jdk, @TempDir Path dir) throws Exception {
        Path jar = Files.createDirectories(dir.resolve("tls guard #1 100% a+b")).resolve("tlsguard.jar");
        Files.copy(Artifacts.agentJar(), jar);
        Path report = dir.resolve("r.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .jvmArg("-javaagent:" + jar + "=report=" + report)
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.stderrLines())
                .as(run.toString())
                .containsExactly("tlsguard " + AgentVersion.get() + ": mode=report min=TLSv1.2 report=" + report);
        assertThat(Report.read(report).all().stream().map(e -> text(e, "event.name")))
                .containsExactly("tls.handshake", "tls.handshake", "tlsguard.summary");
    }

    @Test
    void stderrReport() throws Exception {
        Fork.Result run = Jvm.on(JDK17)
                .agent("report=stderr")
                .jsseSample("suite", "tls13-socket")
                .run();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : run.stderrLines()) {
            if (line.startsWith("{")) {
                events.add(json.readTree(line));
            }
        }
        assertThat(events.stream().map(e -> text(e, "event.name")))
                .as(run.toString())
                .containsExactly("tls.handshake", "tls.handshake", "tlsguard.summary");
    }

    /** A device is not a report file (a full disk is in ReportFileIT); /dev/null is the one way to discard the lines. */
    @Test
    void aDeviceIsRefusedButDevNullDiscards() throws Exception {
        Fork.Result full = Jvm.on(JDK17)
                .agent("report=/dev/full")
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(full.exit()).as(full.toString()).isZero();
        assertThat(full.stderrLines())
                .as(full.toString())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("tlsguard: cannot write the report to /dev/full: /dev/full is not a regular file"));
        Fork.Result discard = Jvm.on(JDK17)
                .agent("mode=enforce,report=/dev/null")
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(discard.exit()).as(discard.toString()).isZero();
        assertThat(discard.stderrLines())
                .containsExactly("tlsguard " + AgentVersion.get() + ": mode=enforce min=TLSv1.2 report=/dev/null");
    }

    /** One call site pinning again and again is written a bounded number of times and counted. */
    @Test
    void repeatedPinsAreBoundedAndCounted(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.jsonl");
        List<String> args = new ArrayList<>(List.of("suite"));
        args.addAll(Collections.nCopies(25, "socket-enabled"));
        Fork.Result run = Jvm.on(JDK17)
                .agent("report=" + report)
                .legacySecurity()
                .jsseSample(args.toArray(String[]::new))
                .run();
        Report r = Report.read(report);
        assertThat(r.named("tlsguard.protocol_pin")).as(run.toString()).hasSize(10);
        assertThat(r.named("tls.handshake")).hasSize(50);
        JsonNode site = r.summary().get("tlsguard.pins").get(0);
        assertThat(site.get("count").asLong()).isEqualTo(25);
        assertThat(text(site, "tlsguard.api")).isEqualTo("SSLSocket.setEnabledProtocols");
    }

    /** Through JAVA_TOOL_OPTIONS the agent reaches every JVM; it stays out of the JDK's own tools. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void javaToolOptionsSkipsJdkTools(Jdk jdk, @TempDir Path dir) throws Exception {
        String toolOptions = "-javaagent:" + Artifacts.agentJar() + "=report=" + dir.resolve("r-%p.jsonl");
        for (String tool : List.of("keytool", "jps", "jcmd")) {
            ProcessBuilder pb = new ProcessBuilder(
                    jdk.home().resolve("bin/" + tool).toString(), tool.equals("keytool") ? "-help" : "-l");
            pb.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            assertThat(output).as(tool + " on " + jdk).doesNotContain("tlsguard ");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no report from a JDK tool").isEmpty();
        }
        Fork.Result app = Jvm.on(jdk)
                .env("JAVA_TOOL_OPTIONS", toolOptions)
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(app.stderrLines())
                .as(app.toString())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("tlsguard "));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the application is guarded").hasSize(1);
        }
    }
}
