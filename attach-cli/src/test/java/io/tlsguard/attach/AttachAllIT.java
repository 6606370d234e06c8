package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attach --all} on two live JVMs of a user of its own (so that it can never reach another test's or the build's
 * JVMs): one it attaches to, one (JDK 21) started with -XX:-EnableDynamicAgentLoading that it reports as failed with
 * the reason (exit 4); run again with other options, it skips the first, which already runs tlsguard, and leaves its
 * options as they were (list still shows mode report). Needs root (it makes the user); runs
 * in the first failsafe execution only (it picks its user itself). The attach per JDK is LiveAttachIT's; this tests
 * the CLI's loop. (A JVM started with -XX:+DisableAttachMechanism is not listed at all: the JDK leaves it out.)
 */
class AttachAllIT {
    /** Only this test's JVMs run as this user: --all attaches to everything the user owns. */
    static final String USER = "tlsguard-all";

    @TempDir
    Path cwd;

    @Test
    void attachesToEveryJvmOfTheUserAndSaysWhichFailedAndWhy() throws Exception {
        TestUser.assumeAvailable();
        assumeTrue(TestUser.RUN_AS.isEmpty(), "picks its user itself: run once, in the first execution");
        TestUser.chown(cwd, USER);
        List<String> asUser = TestUser.as(USER);
        // before any JVM starts: a JVM started behind runuser and closed a moment later may outlive the test
        Jdks.Jdk jdk21 = Jdks.require("jdk21");
        try (LiveProcess open = Jvm.onBuildJdk()
                        .behind(asUser)
                        .jsseServer("socket", "none")
                        .start(cwd.resolve("a.err"));
                LiveProcess closed = Jvm.on(jdk21)
                        .behind(asUser)
                        .jvmArg("-XX:-EnableDynamicAgentLoading")
                        .jsseServer("socket", "none")
                        .start(cwd.resolve("b.err"))) {
            open.awaitListening();
            closed.awaitListening();

            Fork.Result first = cli(
                    asUser,
                    "attach",
                    "--all",
                    "--report",
                    cwd.resolve("all-%p.jsonl").toString());
            assertThat(first.exit()).as("%s", first).isEqualTo(4);
            assertThat(first.stdout())
                    .containsPattern("(?m)^" + open.pid() + "\\s+attached\\s+attached tlsguard .*mode=report")
                    .containsPattern("(?m)^" + closed.pid() + "\\s+failed\\s+.*-XX:-EnableDynamicAgentLoading")
                    .contains("2 JVM(s): 1 attached, 0 already running tlsguard, 1 failed, 0 skipped");
            assertThat(Files.exists(cwd.resolve("all-" + open.pid() + ".jsonl")))
                    .as("the attached JVM writes its report")
                    .isTrue();

            Fork.Result again = cli(asUser, "attach", "--all", "--mode", "enforce");
            assertThat(again.exit()).as("%s", again).isEqualTo(4);
            assertThat(again.stdout())
                    .containsPattern("(?m)^" + open.pid()
                            + "\\s+skipped\\s+already running tlsguard \\S+ \\(mode report\\), skipped: ")
                    .containsPattern("(?m)^" + closed.pid() + "\\s+failed\\s+.*-XX:-EnableDynamicAgentLoading")
                    .contains("2 JVM(s): 0 attached, 1 already running tlsguard, 1 failed, 0 skipped")
                    .doesNotContain("mode=enforce");
            Fork.Result list = cli(asUser, "list");
            assertThat(list.stdout())
                    .as("the skipped JVM keeps its options: %s", list)
                    .containsPattern("(?m)^" + open.pid() + "\\s+\\S+\\s+report \\(");

            Fork.Result both = cli(asUser, "attach", "--all", Long.toString(open.pid()));
            assertThat(both.exit()).isEqualTo(2);
            assertThat(both.stderr()).contains("give a JVM or --all, not both");
        }
    }

    Fork.Result cli(List<String> prefix, String... args) throws Exception {
        return CliRun.execWith(prefix, cwd, Map.of(), CliRun.cliCommand(List.of(), args));
    }
}
