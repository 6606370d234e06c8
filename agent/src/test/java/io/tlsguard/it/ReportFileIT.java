package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import io.tlsguard.testsupport.ReportSchema;
import io.tlsguard.testsupport.Serial;
import io.tlsguard.testsupport.TestUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report file against a hostile neighbour, a stuck reader, a full disk and an abrupt exit (issue 9,
 * items 3, 5, 6, 7, 10). Real forked JVMs with the real jar; the other user is {@link TestUser}.
 */
class ReportFileIT {
    private static final Jdk JDK17 = Jdks.get("jdk17");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pids pre-taken ahead of the next JVM: wide, because other processes on the machine take pids too. */
    private static final int PID_RANGE = 1500;

    @TempDir
    Path tmp; // /tmp/junitNNN: root's own 0700 directory below the sticky /tmp

    // ---- item 3: predictable names in shared directories

    /** The old default names in /tmp, taken first by another user: root's JVM never writes into them. */
    @Test
    void anotherUsersFilesAtTheOldDefaultNamesAreNeverWritten() throws Exception {
        assumeTrue(TestUser.available(), "needs root and useradd/runuser");
        Path home = privateHome();
        long first = nextPid();
        takeNames(Paths.get("/tmp"), "tlsguard-", first);
        try {
            Fork.Result run = defaults(Jvm.on(JDK17).agent("mode=enforce"), home, Paths.get("/tmp"))
                    .jsseSample("suite", "tls13-socket")
                    .run();
            assertThat(run.exit()).as(run.toString()).isZero();
            Path report = reportOf(run);
            long pid = pidOf(report);
            assertThat(pid)
                    .as("the JVM's pid was among those taken: the test can fail")
                    .isBetween(first, first + PID_RANGE - 1);
            assertThat(report).isEqualTo(home.resolve(".local/state/tlsguard/tlsguard-" + pid + ".jsonl"));
            assertThat(Report.read(report).named("tls.handshake")).hasSize(2);
            assertThat(Files.size(Paths.get("/tmp/tlsguard-" + pid + ".jsonl")))
                    .as("the other user's file")
                    .isZero();
        } finally {
            removeNames(Paths.get("/tmp"), "tlsguard-", first);
        }
    }

    /** An explicit report=/shared/app-%p.jsonl: refused with the reason; the other user's files stay empty. */
    @ParameterizedTest(name = "shared dir mode {0}")
    @ValueSource(strings = {"1777", "0777"})
    void anExplicitReportInASharedDirectoryIsRefused(String mode) throws Exception {
        assumeTrue(TestUser.available(), "needs root and useradd/runuser");
        Path shared = Files.createTempDirectory(
                Paths.get("/tmp"), "tlsguard-it-shared-"); // where the other user can reach it
        try {
            exec(List.of("chmod", mode, shared.toString()));
            refusedInSharedDirectory(shared, mode.equals("1777"));
        } finally {
            try (Stream<Path> files = Files.list(shared)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(shared);
        }
    }

    private static void refusedInSharedDirectory(Path shared, boolean sticky) throws Exception {
        long first = nextPid();
        takeNames(shared, "app-", first);
        String why = sticky
                ? shared
                        + " is shared with other users (mode 1777): use a directory of your own in it, closed to others"
                : shared + " is writable by other users (mode 0777)";
        for (String guard : List.of("enforce", "report")) {
            Fork.Result run = Jvm.on(JDK17)
                    .agent("mode=" + guard + ",report=" + shared + "/app-%p.jsonl")
                    .jsseSample("suite", "tls13-socket")
                    .timeout(30)
                    .run();
            assertThat(run.exit()).as(run.toString()).isEqualTo(guard.equals("enforce") ? 1 : 0);
            assertThat(run.stderrLines())
                    .as(run.toString())
                    .singleElement()
                    .satisfies(line -> assertThat(line)
                            .matches("tlsguard: cannot write the report to " + shared + "/app-\\d+\\.jsonl: .*")
                            .contains(why));
        }
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files.filter(f -> f.toFile().length() > 0))
                    .as("none of the other user's files was written")
                    .isEmpty();
        }
    }

    /** A FIFO, a directory or a link where the default report goes: no hang, no exit 1, a report elsewhere. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "directory", "symlink"})
    void somethingElseAtTheDefaultReportPathNeitherHangsNorStopsTheJvm(String kind) throws Exception {
        Path home = privateHome();
        Path state = Files.createDirectories(home.resolve(".local/state/tlsguard"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        long first = nextPid();
        block(state, first, kind);
        Path tmpdir = Files.createDirectory(tmp.resolve("tmpdir"));
        Fork.Result run = defaults(Jvm.on(JDK17).agent("mode=enforce"), home, tmpdir)
                .jsseSample("suite", "tls13-socket")
                .timeout(60)
                .run();
        assertThat(run.exit()).as(run.toString()).isZero();
        Path report = reportOf(run);
        assertThat(pidOf(report)).as("the JVM's pid was among those blocked").isBetween(first, first + PID_RANGE - 1);
        assertThat(report.getParent().getParent())
                .as("a fresh private directory in java.io.tmpdir")
                .isEqualTo(tmpdir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.getParent())))
                .isEqualTo("rwx------");
        assertThat(Report.read(report).named("tls.handshake")).hasSize(2);
    }

    /** An explicit report path that is not a regular file of the user's: enforce fails closed at once, saying why. */
    @Serial
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "directory", "symlink"})
    void anExplicitReportThatIsNotARegularFileFailsFast(String kind) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("reports"));
        Path report = dir.resolve("r.jsonl");
        make(kind, List.of(report));
        long start = System.nanoTime();
        Fork.Result run = Jvm.on(JDK17)
                .agent("mode=enforce,report=" + report)
                .jsseSample("suite", "tls13-socket")
                .timeout(30)
                .run();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderrLines())
                .as(run.toString())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("tlsguard: cannot write the report to " + report + ": " + report
                                + " is not a regular file")
                        .contains("stopping the JVM because enforce/deny fail closed"));
    }

    // ---- item 5: a stuck stream never holds the exit

    /** report=stderr on a pipe nobody reads: main() returns and the JVM is gone within about a second. */
    @Serial
    @Test
    void aStalledStderrReportDoesNotHoldTheExit() throws Exception {
        List<String> command = Jvm.on(JDK17)
                .agent("report=stderr")
                .jsseSample("storm", "8", "4000", "return")
                .command();
        Process p = new ProcessBuilder(command).start(); // stderr: a pipe this test never reads
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("STORM ")) {
                // the storm's own lines, if any
            }
            assertThat(line).as("the program ran to the end of main").isNotNull();
            long mainReturned = System.nanoTime();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the JVM exited").isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mainReturned);
            byte[] stderr = p.getErrorStream().readAllBytes();
            assertThat(new String(stderr, StandardCharsets.UTF_8))
                    .as("the writer was stuck: no summary reached the pipe")
                    .contains("\"tls.handshake\"")
                    .doesNotContain("tlsguard.summary");
            assertThat(millis).as("exit after main returned").isLessThan(2000);
        } finally {
            p.destroyForcibly();
        }
    }

    // ---- item 6: a full disk

    /** A 64 KiB disk filled by many handshakes: whole lines only, the truth on stderr; a second run appends cleanly. */
    @Test
    void aFullDiskLeavesWholeLinesAndTheNextRunAppendsCleanly() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path disk = Files.createDirectory(tmp.resolve("disk"));
        exec(List.of("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tlsguard-it-full", disk.toString()));
        try {
            Path filler = disk.resolve("filler");
            Files.write(filler, new byte[8192]);
            Path report = disk.resolve("r.jsonl");
            Fork.Result first = Jvm.on(JDK17)
                    .agent("report=" + report)
                    .jsseSample("storm", "4", "3000", "exit")
                    .run();
            assertThat(first.exit()).as(first.toString()).isZero();
            assertWholeLines(report);
            Report r = Report.read(report); // every line is valid JSON as the schema says
            assertThat(first.stderrLines())
                    .as(first.toString())
                    .anySatisfy(l -> assertThat(l)
                            .startsWith("tlsguard: report events are being dropped (disk full: cannot write " + report
                                    + ": No space left on device)"));
            List<JsonNode> summaries = r.named("tlsguard.summary");
            if (summaries.isEmpty()) {
                assertThat(first.stderrLines())
                        .as(first.toString())
                        .anySatisfy(l -> assertThat(l)
                                .startsWith("tlsguard: the report's summary could not be written (disk full: "));
            } else {
                JsonNode summary = summaries.get(0);
                assertThat(summary.get("tlsguard.events.written").asLong())
                        .isEqualTo(r.all().size());
                assertThat(summary.get("tlsguard.events.dropped").asLong()).isPositive();
            }
            int linesBefore = r.all().size();

            Files.delete(filler); // room for a small second run
            Fork.Result second = Jvm.on(JDK17)
                    .agent("report=" + report)
                    .jsseSample("suite", "tls13-socket")
                    .run();
            assertThat(second.exit()).as(second.toString()).isZero();
            assertWholeLines(report);
            Report both = Report.read(report);
            assertThat(both.all().subList(linesBefore, both.all().size()).stream()
                            .map(e -> Report.text(e, "event.name")))
                    .containsExactly("tls.handshake", "tls.handshake", "tlsguard.summary");
        } finally {
            exec(List.of("umount", disk.toString()));
        }
    }

    /** A file of the user's from an earlier run that ended mid-line: the new run starts on a new line. */
    @Test
    void aRunAfterACutLineStartsOnANewLine() throws Exception {
        Path report = tmp.resolve("r.jsonl");
        Fork.Result first = Jvm.on(JDK17)
                .agent("report=" + report)
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(first.exit()).isZero();
        String cut = "{\"event.name\":\"tls.handshake\",\"timest";
        Files.write(report, cut.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        Fork.Result second = Jvm.on(JDK17)
                .agent("report=" + report)
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(second.exit()).isZero();
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).hasSize(7).contains(cut);
        assertThat(lines.indexOf(cut)).isEqualTo(3);
        for (String line : lines) {
            if (!line.equals(cut)) {
                ReportSchema.check(JSON.readTree(line));
            }
        }
        assertWholeLines(report);
    }

    // ---- item 7: exit accounting

    /**
     * System.exit in the middle of many handshakes: every event is in the file or counted as dropped. Serial: "a
     * storm" is a count of handshakes in two seconds, which a neighbouring test JVM on the same cores would halve.
     */
    @Serial
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void systemExitDuringHeavyHandshakingAccountsForEveryEvent(Jdk jdk) throws Exception {
        Path report = tmp.resolve("r.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("report=" + report)
                .jsseSample("storm", "8", "2000", "exit")
                .run();
        assertThat(run.exit()).as(run.toString()).isZero();
        assertWholeLines(report);
        Report r = Report.read(report);
        JsonNode summary = r.summary();
        assertThat(r.all().get(r.all().size() - 1)).as("the summary is last").isEqualTo(summary);
        long written = summary.get("tlsguard.events.written").asLong();
        long dropped = summary.get("tlsguard.events.dropped").asLong();
        long handshakes = 0;
        for (JsonNode h : summary.get("tlsguard.handshakes")) {
            handshakes += h.get("count").asLong();
        }
        assertThat(r.named("tlsguard.protocol_pin")).isEmpty();
        assertThat(written)
                .as("lines in the file, the summary included")
                .isEqualTo(r.all().size());
        assertThat(written - 1 + dropped)
                .as("written + dropped == handshakes counted\n" + run)
                .isEqualTo(handshakes);
        assertThat(handshakes).as("a storm, not a breeze").isGreaterThan(50);
        assertThat(run.stderr()).doesNotContain("queue is full");
    }

    // ---- item 10: what the user is told

    @Test
    void aNewlineInTheReportPathStaysOnTheOneStartLine() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("a\nb"));
        Fork.Result run = Jvm.on(JDK17)
                .agent("report=" + dir.resolve("r.jsonl"))
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(run.stderrLines())
                .as(run.toString())
                .singleElement()
                .satisfies(line -> assertThat(line).endsWith(" report=" + tmp + "/a\\nb/r.jsonl"));
        Fork.Result bad = Jvm.on(JDK17)
                .agent("mode=enforce,report=" + tmp + "/c\nd/r.jsonl")
                .jsseSample("suite", "tls13-socket")
                .run();
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.stderrLines())
                .as(bad.toString())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("tlsguard: cannot write the report to " + tmp + "/c\\nd/r.jsonl: " + tmp
                                + "/c\\nd does not exist"));
    }

    // ---- the default location for users other than root

    @Test
    void theDefaultLocationOfAnUnprivilegedUserIsInTheirHome() throws Exception {
        assumeTrue(TestUser.available(), "needs root and useradd/runuser");
        int uid = TestUser.uid();
        Fork.Result run =
                runAsTestUser(List.of("-javaagent:" + TestUser.readable(Artifacts.agentJar()) + "=mode=enforce"));
        assertThat(run.exit()).as(run.toString()).isZero();
        Path report = reportOf(run);
        try {
            assertThat(report.getParent()).isEqualTo(TestUser.home().resolve(".local/state/tlsguard"));
            assertThat(Files.getAttribute(report, "unix:uid")).isEqualTo(uid);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.getParent())))
                    .isEqualTo("rwx------");
            assertThat(Report.read(report).named("tls.handshake")).hasSize(2);
        } finally {
            Files.deleteIfExists(report);
        }
    }

    /** A service user without a usable home (none, or not theirs to write): a fresh private temp directory, never exit 1. */
    @ParameterizedTest(name = "user.home={0}")
    @ValueSource(strings = {"/nonexistent", "/"})
    void aUserWithoutAUsableHomeReportsToAPrivateTempDirectory(String home) throws Exception {
        assumeTrue(TestUser.available(), "needs root and useradd/runuser");
        int uid = TestUser.uid();
        Fork.Result run = runAsTestUser(List.of(
                "-javaagent:" + TestUser.readable(Artifacts.agentJar()) + "=mode=enforce",
                "-Duser.home=" + home,
                "-Djava.io.tmpdir=/tmp"));
        assertThat(run.exit()).as(run.toString()).isZero();
        Path report = reportOf(run);
        try {
            assertThat(report.getParent().getParent()).isEqualTo(Paths.get("/tmp"));
            assertThat(report.getParent().getFileName().toString()).startsWith("tlsguard-");
            assertThat(Files.getAttribute(report.getParent(), "unix:uid")).isEqualTo(uid);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.getParent())))
                    .isEqualTo("rwx------");
            assertThat(Report.read(report).named("tls.handshake")).hasSize(2);
        } finally {
            Files.deleteIfExists(report);
            Files.deleteIfExists(report.getParent());
        }
    }

    // ---- helpers

    /** A home of root's for the default location (the real /root is left alone); java.io.tmpdir and XDG as given. */
    private Path privateHome() throws IOException {
        return Files.createDirectory(tmp.resolve("home"));
    }

    private static Jvm defaults(Jvm jvm, Path home, Path tmpdir) {
        return jvm.jvmArg("-Duser.home=" + home)
                .jvmArg("-Djava.io.tmpdir=" + tmpdir)
                .env("XDG_STATE_HOME", null);
    }

    /**
     * The pid the next process will probably get (more or less: the machine is shared), as /proc numbers it,
     * which is what the agent reads: the test JVM may live in a pid namespace of its own.
     */
    private static long nextPid() throws Exception {
        Process p = new ProcessBuilder("readlink", "/proc/self").start();
        String self = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return Long.parseLong(self) + 1;
    }

    /** The test user creates empty 0666 files PREFIX + pid + ".jsonl" in dir for the next pids (no process per file). */
    private static void takeNames(Path dir, String prefix, long first) throws Exception {
        String script = "umask 000; i=" + first + "; while [ $i -lt " + (first + PID_RANGE) + " ]; do : > " + dir + "/"
                + prefix + "$i.jsonl; i=$((i+1)); done";
        exec(TestUser.runAs(List.of("sh", "-c", script)));
    }

    private static void removeNames(Path dir, String prefix, long first) throws IOException {
        for (long pid = first; pid < first + PID_RANGE; pid++) {
            Files.deleteIfExists(dir.resolve(prefix + pid + ".jsonl"));
        }
    }

    /** A FIFO, a directory or a symbolic link named tlsguard-PID.jsonl in dir for the next pids. */
    private static void block(Path dir, long first, String kind) throws Exception {
        List<Path> paths = new ArrayList<>();
        for (long pid = first; pid < first + PID_RANGE; pid++) {
            paths.add(dir.resolve("tlsguard-" + pid + ".jsonl"));
        }
        make(kind, paths);
    }

    private static void make(String kind, List<Path> paths) throws Exception {
        List<String> command = new ArrayList<>(List.of(kind.equals("fifo") ? "mkfifo" : "mkdir"));
        switch (kind) {
            case "fifo", "directory" -> {
                paths.forEach(p -> command.add(p.toString()));
                exec(command);
            }
            case "symlink" -> {
                for (Path p : paths) {
                    Files.createSymbolicLink(p, Paths.get("/etc/hostname"));
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    /** The report path on tlsguard's start line. */
    private static Path reportOf(Fork.Result run) {
        String start = run.stderrLines().stream()
                .filter(l -> l.startsWith("tlsguard "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no start line\n" + run));
        return Paths.get(start.substring(start.indexOf(" report=") + " report=".length()));
    }

    private static long pidOf(Path report) {
        String name = report.getFileName().toString();
        return Long.parseLong(name.substring("tlsguard-".length(), name.length() - ".jsonl".length()));
    }

    private static void assertWholeLines(Path report) throws IOException {
        byte[] bytes = Files.readAllBytes(report);
        assertThat(bytes.length).isPositive();
        assertThat(bytes[bytes.length - 1])
                .as("the report ends in a whole line")
                .isEqualTo((byte) '\n');
    }

    /** The jsse sample's suite as the test user, from /tmp (the checkout may be closed to it), without XDG. */
    private static Fork.Result runAsTestUser(List<String> jvmArgs) throws Exception {
        return Jvm.on(JDK17)
                .as(TestUser.NAME)
                .directory(Path.of("/tmp"))
                .jvmArgs(jvmArgs)
                .env("XDG_STATE_HOME", null)
                .jsseSample("suite", "tls13-socket")
                .run();
    }

    private static void exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + output).isZero();
    }
}
