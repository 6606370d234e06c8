package io.tlsguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A forked JVM that outlives its time limit is killed, and the failure says where each of its threads was. */
class ForkTest {
    @Test
    void aHungJvmIsKilledWithItsThreadDump(@TempDir Path dir) throws Exception {
        Path hang = Files.writeString(
                dir.resolve("Hang.java"),
                "class Hang { public static void main(String[] a) throws Exception { Thread.sleep(600_000); } }");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        AssertionError timedOut = catchThrowableOfType(
                () -> Fork.of(List.of(java, hang.toString()))
                        .timeout(Duration.ofSeconds(10))
                        .run(),
                AssertionError.class);
        assertThat(timedOut.getMessage())
                .startsWith("timed out after 10 s")
                .contains("Full thread dump")
                .contains("at Hang.main");
    }
}
