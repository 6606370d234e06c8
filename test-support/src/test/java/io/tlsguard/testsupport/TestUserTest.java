package io.tlsguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unprivileged user gets what it must read: a file closed to it is staged as a readable copy. */
class TestUserTest {
    @Test
    void aFileClosedToTheUserIsStagedReadable(@TempDir Path dir) throws Exception {
        TestUser.assumeAvailable();
        Path closed = Files.createDirectory(
                dir.resolve("closed"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path jar = Files.writeString(closed.resolve("some.jar"), "content " + System.nanoTime());
        assertThat(TestUser.exec(TestUser.runAs(List.of("test", "-r", jar.toString())))
                        .exit())
                .as("closed to the user")
                .isNotZero();

        Path readable = TestUser.readable(jar);
        assertThat(readable).isNotEqualTo(jar);
        assertThat(Files.readString(readable)).isEqualTo(Files.readString(jar));
        assertThat(TestUser.exec(TestUser.runAs(List.of("cat", readable.toString())))
                        .output())
                .isEqualTo(Files.readString(jar));
    }

    @Test
    void aReadableFileIsUsedInPlace(@TempDir Path dir) throws Exception {
        TestUser.assumeAvailable();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path open = Files.writeString(dir.resolve("open.jar"), "open");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(TestUser.readable(open)).isEqualTo(open);
    }
}
