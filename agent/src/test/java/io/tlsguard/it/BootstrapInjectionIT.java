package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bootstrap runtime is defined from bytes on every JDK: no jar in a temporary directory that the JVM
 * would open again later by name (JDK 8 once appended one), nothing another user could swap.
 */
class BootstrapInjectionIT {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void startsWithoutAnyTemporaryDirectory(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.jsonl");
        Path noTmp = dir.resolve("no-such-tmp");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=enforce,report=" + report + ",cache=off")
                .jvmArg("-Djava.io.tmpdir=" + noTmp)
                .jsseSample("suite", "tls12-socket")
                .run();
        assertThat(run.exit()).as(run.toString()).isZero();
        // JDK 21+ warns about the missing directory itself; tlsguard says only its start line
        assertThat(run.stderrLines().stream()
                        .filter(l -> l.startsWith("tlsguard"))
                        .toList())
                .as(run.toString())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("tlsguard " + AgentVersion.get() + ": mode=enforce"));
        assertThat(Report.read(report).named("tls.handshake"))
                .as(run.toString())
                .hasSize(2);
        assertThat(noTmp).doesNotExist();
    }
}
