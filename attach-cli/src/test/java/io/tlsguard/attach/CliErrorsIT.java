package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error is one line with its exit code, never a stack trace; driven through the built jar. The cases about
 * processes (finding, reading, attaching to them) run in both failsafe executions, as the build's user and as
 * tlsguard-it; those that only parse arguments or check the runtime run once, in the first.
 */
class CliErrorsIT {
    @TempDir
    Path cwd;

    /** Argument parsing, help and the runtime check read no process and no file of the user: one run proves them. */
    static void onceForAnyUser() {
        assumeTrue(TestUser.RUN_AS.isEmpty(), "reads no process or file of the user: once, in the first execution");
    }

    static void oneLineError(Fork.Result r, int exit, String... contains) {
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
        assertThat(r.stderr())
                .startsWith("tlsguard-attach: error: ")
                .contains(contains)
                .doesNotContain("\tat ", "Exception in thread");
    }

    static LiveProcess javaProcess(List<String> prefix, List<String> jvmOptions, Path err) throws Exception {
        LiveProcess jvm = Jvm.onBuildJdk()
                .behind(prefix)
                .jvmArgs(jvmOptions)
                .jsseServer("socket", "none")
                .start(err);
        jvm.awaitListening();
        return jvm;
    }

    @Test
    void noSuchProcessListsCandidates() throws Exception {
        Fork.Result r = CliRun.run(cwd, "attach", "999999999");
        oneLineError(r, ExitCodes.NO_SUCH_TARGET, "no such process: 999999999");
        assertThat(r.stderr()).containsPattern("JVMs of user \\S+");
        r = CliRun.run(cwd, "status", "no.such.MainClass");
        oneLineError(r, ExitCodes.NO_SUCH_TARGET, "no JVM whose main class or jar contains 'no.such.MainClass'");
    }

    @Test
    void numbersThatAreNoPidAreUsageErrors() throws Exception {
        onceForAnyUser();
        for (String notAPid : new String[] {"99999999999999999999999", "2147483648", "0"}) {
            Fork.Result r = CliRun.run(cwd, "attach", notAPid);
            oneLineError(r, ExitCodes.USAGE, "'" + notAPid + "' is not a process id");
            assertThat(r.stderr().lines()).as("%s", r).hasSize(1);
        }
        oneLineError(CliRun.run(cwd, "status", "2147483647"), ExitCodes.NO_SUCH_TARGET, "no such process: 2147483647");
    }

    @Test
    void notAJvmIsNotSignalled() throws Exception {
        try (LiveProcess sleep =
                Fork.of(List.of("sleep", "60")).prefix(TestUser.prefix()).start(cwd.resolve("sleep.err"))) {
            long pid = sleep.pid();
            Fork.Result r = CliRun.run(cwd, "attach", Long.toString(pid));
            oneLineError(r, ExitCodes.NOT_ATTACHABLE, "process " + pid + " (sleep) is not a Java virtual machine");
            Thread.sleep(200);
            assertThat(sleep.alive()).as("no SIGQUIT was sent").isTrue();
        }
    }

    @Test
    void attachMechanismDisabled() throws Exception {
        try (LiveProcess jvm =
                javaProcess(TestUser.prefix(), List.of("-XX:+DisableAttachMechanism"), cwd.resolve("disabled.err"))) {
            for (String command : new String[] {"attach", "status", "detach"}) {
                Fork.Result r = CliRun.run(cwd, command, Long.toString(jvm.pid()));
                oneLineError(r, ExitCodes.NOT_ATTACHABLE, "-XX:+DisableAttachMechanism");
            }
            assertThat(jvm.alive()).isTrue();
        }
    }

    @Test
    void agentRefusalIsOneLine() throws Exception {
        try (LiveProcess jvm = javaProcess(TestUser.prefix(), List.of(), cwd.resolve("refused.stderr()"))) {
            Fork.Result r =
                    CliRun.run(cwd, "attach", Long.toString(jvm.pid()), "--report", "/proc/self/no-such-report.jsonl");
            oneLineError(r, ExitCodes.AGENT_FAILED, "tlsguard in JVM " + jvm.pid() + " refused: ");
            Fork.Result status = CliRun.run(cwd, "status", Long.toString(jvm.pid()));
            oneLineError(status, ExitCodes.NOT_RUNNING, "tlsguard is not running in JVM " + jvm.pid());
            assertThat(jvm.alive()).isTrue();
        }
    }

    @Test
    void otherUser() throws Exception {
        TestUser.assumeAvailable();
        try (LiveProcess jvm =
                javaProcess(TestUser.as("nobody"), List.of("-XX:-UsePerfData"), cwd.resolve("nobody.err"))) {
            Fork.Result r = CliRun.run(cwd, "attach", Long.toString(jvm.pid()));
            String me = TestUser.RUN_AS.isEmpty()
                    ? "'root' (uid 0)"
                    : "'" + TestUser.RUN_AS + "' (uid " + TestUser.uid(TestUser.RUN_AS) + ")";
            oneLineError(
                    r,
                    ExitCodes.OTHER_USER,
                    "process " + jvm.pid() + " runs as user 'nobody' (uid " + TestUser.uid("nobody") + "), you are "
                            + me,
                    "sudo -u nobody ",
                    " attach " + jvm.pid());
            assertThat(jvm.alive()).isTrue();
        }
    }

    @Test
    void otherTlsguardVersion() throws Exception {
        // a JVM whose tlsguard properties say another version runs in it
        try (LiveProcess jvm = javaProcess(
                TestUser.prefix(),
                List.of("-Dtlsguard.version=0.0.1", "-Dtlsguard.mode=report"),
                cwd.resolve("other.err"))) {
            for (String command : new String[] {"attach", "status", "detach"}) {
                Fork.Result r = CliRun.run(cwd, command, Long.toString(jvm.pid()));
                oneLineError(r, ExitCodes.OTHER_VERSION, "already runs tlsguard 0.0.1");
            }
            Fork.Result list = CliRun.run(cwd, "list");
            assertThat(list.stdout()).containsPattern("(?m)^" + jvm.pid() + "\\s+\\S+\\s+report \\(0\\.0\\.1\\)");
            assertThat(jvm.stderrText()).doesNotContain("tlsguard");
        }
    }

    @Test
    void runtimeWithoutJdkAttach() throws Exception {
        onceForAnyUser();
        Fork.Result r = CliRun.exec(
                cwd,
                List.of(
                        CliRun.buildJava(),
                        "--limit-modules",
                        "java.base",
                        "-jar",
                        CliRun.cliJar().toString(),
                        "list"));
        oneLineError(r, ExitCodes.NO_JDK_ATTACH, "has no jdk.attach module");
    }

    @Test
    void javaEightCannotRunTheCli() throws Exception {
        onceForAnyUser();
        Path java8 = TestUser.readable(Jdks.require("jdk8").home()).resolve("bin/java");
        Fork.Result r = CliRun.exec(
                cwd, List.of(java8.toString(), "-jar", CliRun.cliJar().toString(), "list"));
        oneLineError(r, ExitCodes.NO_JDK_ATTACH, "is too old to run tlsguard-attach", "JDK 11 or newer");
    }

    @Test
    void usageErrors() throws Exception {
        onceForAnyUser();
        oneLineError(
                CliRun.run(cwd, "attach", "1", "--mode", "loose"),
                ExitCodes.USAGE,
                "--mode: option mode=loose is not one of report, enforce, deny");
        oneLineError(
                CliRun.run(cwd, "attach", "1", "--min", "TLSv1"),
                ExitCodes.USAGE,
                "--min: option min=TLSv1 is not one of TLSv1.2, TLSv1.3");
        oneLineError(
                CliRun.run(cwd, "attach", "1", "--report", "no/such/dir/r.jsonl"), ExitCodes.USAGE, "does not exist");
        oneLineError(CliRun.run(cwd, "frobnicate"), ExitCodes.USAGE, "frobnicate");
        oneLineError(
                CliRun.run(cwd, "status"),
                ExitCodes.USAGE,
                "a JVM is required: its pid or a part of its main class or jar name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "attach", "status", "detach"})
    void helpForEachCommand(String command) throws Exception {
        onceForAnyUser();
        Fork.Result r = CliRun.run(cwd, command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout())
                .contains(
                        "Usage: tlsguard-attach " + command, "Exit codes:", "7  the JVM already runs another version");
    }

    @Test
    void topLevelHelpAndVersion() throws Exception {
        onceForAnyUser();
        Fork.Result r = CliRun.run(cwd, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).contains("list", "attach", "status", "detach", "Exit codes:");
        r = CliRun.run(cwd, "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).contains("embedded agent tlsguard");
        r = CliRun.run(cwd);
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    }
}
