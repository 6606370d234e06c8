package io.tlsguard.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsguard.testsupport.TestUser;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path rule, with real owners: another user's files and directories are made with chown (tests run as root). */
class TrustedPathsTest {
    @TempDir
    Path tmp; // in /tmp (sticky, shared), owned by this user: the usual shape of a private directory there

    @Test
    void ownPrivateDirectoryBelowStickyTmpIsTrusted() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("logs"));
        assertThat(TrustedPaths.checkDirectory(dir)).isEqualTo(dir.toRealPath());
    }

    @Test
    void theSharedStickyDirectoryItselfIsRefused() {
        assertThatThrownBy(() ->
                        TrustedPaths.openForAppend(Paths.get("/tmp/tlsguard-test-" + System.nanoTime() + ".jsonl")))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining("/tmp is shared with other users");
    }

    @Test
    void aDirectoryWritableByOthersIsRefused() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path below = Files.createDirectory(open.resolve("below"));
        assertThatThrownBy(() -> TrustedPaths.checkDirectory(below))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining(open + " is writable by other users (mode 0777)");
    }

    @Test
    void aDirectoryOfAnotherUserIsRefusedAndSoIsEverythingBelowIt() throws Exception {
        assumeTrue(TestUser.available(), "needs root to give a directory to another user");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        Path below = Files.createDirectory(theirs.resolve("below"));
        TestUser.chown(theirs);
        int uid = TestUser.uid();
        assertThatThrownBy(() -> TrustedPaths.checkDirectory(below))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining(theirs + " belongs to uid " + uid);
    }

    @Test
    void anEntryOfAnotherUserInAStickyDirectoryIsRefusedEvenIfClosed() throws Exception {
        assumeTrue(TestUser.available(), "needs root to give a directory to another user");
        Path theirs = Paths.get("/tmp/tlsguard-test-theirs-" + System.nanoTime());
        Files.createDirectory(
                theirs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            TestUser.chown(theirs);
            assertThatThrownBy(() -> TrustedPaths.checkDirectory(theirs))
                    .isInstanceOf(UntrustedPathException.class)
                    .hasMessageContaining("is in the shared directory /tmp");
        } finally {
            Files.delete(theirs);
        }
    }

    @Test
    void aLinkIsCheckedAndUsedAsTheDirectoryItPointsTo() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThat(TrustedPaths.checkDirectory(link)).isEqualTo(real.toRealPath());
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path toOpen = Files.createSymbolicLink(real.resolve("to-open"), open);
        assertThatThrownBy(() -> TrustedPaths.checkDirectory(toOpen)).isInstanceOf(UntrustedPathException.class);
    }

    @Test
    void appendCreatesOwnerOnlyAndReopensOnlyOwnRegularFiles() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("reports"));
        Path file = dir.resolve("r.jsonl");
        try (FileChannel c = TrustedPaths.openForAppend(file)) {
            c.write(java.nio.ByteBuffer.wrap("a\n".getBytes()));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (FileChannel c = TrustedPaths.openForAppend(file)) {
            c.write(java.nio.ByteBuffer.wrap("b\n".getBytes()));
        }
        assertThat(Files.readString(file)).isEqualTo("a\nb\n");
    }

    @Test
    void aLinkADirectoryOrAFifoWhereTheFileGoesIsRefusedWithoutBlocking() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("reports"));
        Files.createSymbolicLink(dir.resolve("link.jsonl"), Files.createFile(tmp.resolve("elsewhere")));
        Files.createDirectory(dir.resolve("dir.jsonl"));
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo.jsonl").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .isTrue();
        for (String name : List.of("link.jsonl", "dir.jsonl", "fifo.jsonl")) {
            assertThatThrownBy(() -> TrustedPaths.openForAppend(dir.resolve(name)))
                    .isInstanceOf(UntrustedPathException.class)
                    .hasMessageContaining("is not a regular file");
        }
    }

    @Test
    void aFileOfAnotherUserIsNeverAppendedTo() throws Exception {
        assumeTrue(TestUser.available(), "needs root to give a file to another user");
        Path dir = Files.createDirectory(tmp.resolve("reports"));
        Path theirs = Files.createFile(dir.resolve("theirs.jsonl"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-rw-rw-"));
        TestUser.chown(theirs);
        assertThatThrownBy(() -> TrustedPaths.openForAppend(theirs))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining("belongs to uid " + TestUser.uid());
        assertThat(Files.size(theirs)).isZero();
    }

    @Test
    void createNewIsExclusive() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("replies"));
        TrustedPaths.createNew(dir.resolve("reply.json")).close();
        assertThatThrownBy(() -> TrustedPaths.createNew(dir.resolve("reply.json")))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void privateDirectoriesAreMadeOwnerOnlyWithTheirParents() throws Exception {
        Path made = TrustedPaths.createPrivateDirectory(tmp.resolve("a/b/c"));
        for (Path p : List.of(tmp.resolve("a"), tmp.resolve("a/b"), made)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void currentUidIsTheOwnerOfWhatThisProcessCreates() throws Exception {
        Path mine = Files.createFile(tmp.resolve("mine"));
        assertThat(TrustedPaths.currentUid())
                .isEqualTo(Files.getAttribute(mine, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aPrivateDirectoryIsMadeInTheSharedStickyTmpButNothingIsMadeInAnotherUsersDirectory() throws Exception {
        Path mine = Paths.get("/tmp/tlsguard-test-mine-" + System.nanoTime());
        try {
            assertThat(TrustedPaths.createPrivateDirectory(mine)).isEqualTo(mine);
        } finally {
            Files.deleteIfExists(mine);
        }
        assumeTrue(TestUser.available(), "needs root to give a directory to another user");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        TestUser.chown(theirs);
        assertThatThrownBy(() -> TrustedPaths.createPrivateDirectory(theirs.resolve("cache/deeper")))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining(theirs + " belongs to uid " + TestUser.uid());
        assertThat(theirs.resolve("cache")).doesNotExist();
    }

    @Test
    void filesInACheckedDirectoryAreOpenedOnlyAsOwnRegularFilesByPlainName() throws Exception {
        Path dir = TrustedPaths.checkDirectory(Files.createDirectory(tmp.resolve("entries")));
        TrustedPaths.createNewIn(dir, "a.bin").close();
        try (FileChannel in = TrustedPaths.openForReadingIn(dir, "a.bin")) {
            assertThat(in.size()).isZero();
        }
        Files.createSymbolicLink(dir.resolve("link.bin"), dir.resolve("a.bin"));
        assertThatThrownBy(() -> TrustedPaths.openForReadingIn(dir, "link.bin"))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> TrustedPaths.createNewIn(dir, "link.bin"))
                .isInstanceOf(FileAlreadyExistsException.class);
        for (String bad : List.of("../a.bin", "..", "", "x/y")) {
            assertThatThrownBy(() -> TrustedPaths.openForReadingIn(dir, bad))
                    .as(bad)
                    .isInstanceOf(UntrustedPathException.class);
        }
    }

    @Test
    void aPrivateDirectoryInACheckedOneIsMadeOnceAndMustBeOwnAndClosed() throws Exception {
        Path dir = TrustedPaths.checkDirectory(Files.createDirectory(tmp.resolve("root")));
        assertThat(TrustedPaths.createPrivateDirectoryIn(dir, "v2-1")).isTrue();
        assertThat(TrustedPaths.createPrivateDirectoryIn(dir, "v2-1")).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("v2-1"))))
                .isEqualTo("rwx------");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("v2-1"));
        assertThatThrownBy(() -> TrustedPaths.createPrivateDirectoryIn(dir, "link"))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining("symbolic link");
        Files.setPosixFilePermissions(dir.resolve("v2-1"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> TrustedPaths.createPrivateDirectoryIn(dir, "v2-1"))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessageContaining("writable by other users");
    }
}
