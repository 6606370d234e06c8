package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.PeerServer;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JDK 25 target started without -XX:+EnableDynamicAgentLoading prints the dynamic-agent warning once, at the first
 * attach: status, a reconfiguration, detach and an attach after the detach go through tlsguard's MBean over the JVM's
 * local management agent and load nothing. (LiveAttachIT checks the same on JDK 21, in its whole workflow, as root
 * and as the unprivileged user.)
 */
class NoReloadIT {
    static final String WARNING = "WARNING: A Java agent has been loaded dynamically";

    @RegisterExtension
    static final PeerServer peer =
            new PeerServer(() -> Jvm.onBuildJdk().legacySecurity().jsseServer("socket", "none"));

    static Stream<Jdk> jdks() {
        return Jdks.all().filter(j -> j.feature() == 25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void warnsOnceAtTheFirstAttach(Jdk jdk, @TempDir Path cwd) throws Exception {
        assumeTrue(TestUser.RUN_AS.isEmpty(), "run once, in the execution as the current user");
        try (LiveProcess target = Jvm.on(jdk)
                .legacySecurity()
                .jsseSampleClass(
                        "io.tlsguard.samples.jsse.LongLivedClient", Integer.toString(peer.port()), "--pause-ms", "50")
                .start(cwd.resolve("target.err"))) {
            target.await(l -> l.startsWith("READY"), Duration.ofSeconds(60), "READY");
            String pid = Long.toString(target.pid());

            Fork.Result first = CliRun.run(cwd, "attach", pid, "--report", "report.jsonl");
            assertThat(first.exit()).as("attach %s", first).isZero();
            assertThat(first.stderr()).as("the CLI's note on the first attach").contains("loaded dynamically");
            assertThat(count(target.stderrText(), WARNING))
                    .as(target.stderrText())
                    .isEqualTo(1);

            Fork.Result status = CliRun.run(cwd, "status", pid);
            assertThat(status.exit()).as("status %s", status).isZero();
            assertThat(status.stdout()).contains("tlsguard.mode", "report");

            Fork.Result enforce = CliRun.run(cwd, "attach", pid, "--mode", "enforce");
            assertThat(enforce.exit()).as("reconfigure %s", enforce).isZero();
            assertThat(enforce.stdout())
                    .contains("reconfigured", "mode=enforce", "report=" + cwd.resolve("report.jsonl"));
            assertThat(enforce.stderr()).as("no note: nothing was loaded").isEmpty();

            Fork.Result detach = CliRun.run(cwd, "detach", pid);
            assertThat(detach.exit()).as("detach %s", detach).isZero();
            assertThat(detach.stdout()).contains("detached");

            Fork.Result again = CliRun.run(cwd, "attach", pid, "--mode", "deny");
            assertThat(again.exit()).as("attach after detach %s", again).isZero();
            assertThat(again.stdout()).contains("attached", "mode=deny");
            assertThat(again.stderr()).isEmpty();

            assertThat(count(target.stderrText(), WARNING))
                    .as("one warning, from the first attach: %s", target.stderrText())
                    .isEqualTo(1);
            assertThat(target.stderrText()).contains("mode=enforce", "detached", "mode=deny");
        }
    }

    static int count(String text, String what) {
        return text.split(what, -1).length - 1;
    }
}
