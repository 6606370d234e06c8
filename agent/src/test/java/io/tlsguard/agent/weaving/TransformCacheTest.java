package io.tlsguard.agent.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk cache of transformed JDK classes: exact originals only, verified entries only, private directories only. */
class TransformCacheTest {
    private static final String CONTEXT = "javax/net/ssl/SSLContext";
    private static byte[] original;
    private static byte[] transformed;

    @BeforeAll
    static void weave() throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(CONTEXT + ".class")) {
            original = in.readAllBytes();
        }
        transformed = new AdviceWeaver().weave(null, CONTEXT, original);
    }

    @Test
    void givesBackWhatWasStoredForTheSameOriginalOnly(@TempDir Path dir) throws Exception {
        TransformCache cache = TransformCache.open(dir.resolve("c").toString());
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        cache.store(CONTEXT, original, transformed);
        assertThat(TransformCache.open(dir.resolve("c").toString()).lookup(CONTEXT, original))
                .isEqualTo(transformed);
        byte[] otherOriginal = original.clone();
        otherOriginal[otherOriginal.length - 1] ^= 1;
        assertThat(cache.lookup(CONTEXT, otherOriginal)).isNull();
        assertThat(cache.lookup("javax/net/ssl/SSLParameters", original)).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c/key"))))
                .isEqualTo("rw-------");
        assertThat(Files.size(dir.resolve("c/key"))).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry(dir))))
                .isEqualTo("rw-------");
    }

    @Test
    void aDamagedEntryIsNotUsedAndIsReplaced(@TempDir Path dir) throws Exception {
        TransformCache cache = TransformCache.open(dir.toString());
        cache.store(CONTEXT, original, transformed);
        Path entry = entry(dir);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 100] ^= 1;
        Files.write(entry, bytes);
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        Files.write(entry, new byte[] {1, 2});
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        cache.store(CONTEXT, original, transformed);
        assertThat(cache.lookup(CONTEXT, original)).isEqualTo(transformed);
    }

    @Test
    void aNewKeyInvalidatesEveryEntry(@TempDir Path dir) throws Exception {
        TransformCache.open(dir.toString()).store(CONTEXT, original, transformed);
        Files.delete(dir.resolve("key"));
        assertThat(TransformCache.open(dir.toString()).lookup(CONTEXT, original))
                .isNull();
    }

    @Test
    void anUntransformedClassIsNotStored(@TempDir Path dir) throws Exception {
        TransformCache cache = TransformCache.open(dir.toString());
        cache.store(CONTEXT, original, original);
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".bin"))).isEmpty();
        }
    }

    @Test
    void anEntryThatIsALinkIsNotFollowed(@TempDir Path dir) throws Exception {
        Path cacheDir = dir.resolve("c");
        TransformCache.open(cacheDir.toString()).store(CONTEXT, original, transformed);
        Path entry = entry(cacheDir);
        Path elsewhere = Files.move(entry, dir.resolve("elsewhere.bin"));
        Files.createSymbolicLink(entry, elsewhere);
        TransformCache cache = TransformCache.open(cacheDir.toString());
        assertThat(cache.lookup(CONTEXT, original))
                .as("a valid entry, but behind a link")
                .isNull();
        cache.store(CONTEXT, original, transformed);
        assertThat(Files.isSymbolicLink(entry))
                .as("the link is replaced, not written through")
                .isFalse();
        assertThat(Files.readAllBytes(elsewhere)).isEqualTo(Files.readAllBytes(entry));
    }

    @Test
    void theRootIsResolvedOnceAndItsRealPathUsed(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectory(
                dir.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        TransformCache cache = TransformCache.open(link.toString());
        cache.store(CONTEXT, original, transformed);
        assertThat(cache.describe()).startsWith(real.toRealPath().toString());
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.delete(link);
        Files.createSymbolicLink(link, other); // swapped after the first use: changes nothing
        assertThat(cache.lookup(CONTEXT, original)).isEqualTo(transformed);
        cache.store("javax/net/ssl/SSLParameters", original, transformed); // refused (not that class), nothing anywhere
        try (Stream<Path> files = Files.list(other)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesADirectoryOthersCanWrite(@TempDir Path dir) throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        TransformCache cache = TransformCache.open(open.toString());
        cache.store(CONTEXT, original, transformed);
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        assertThat(cache.describe()).startsWith("off (").contains("writable by other users");
        try (Stream<Path> files = Files.list(open)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesARootBelowADirectoryOthersCanWriteAndMakesNothingThere(@TempDir Path dir) throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        TransformCache cache = TransformCache.open(open.resolve("cache").toString());
        cache.store(CONTEXT, original, transformed);
        assertThat(cache.describe()).startsWith("off (").contains(open.toString());
        try (Stream<Path> files = Files.list(open)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void onlyThisCachesBuildDirectoriesAreCandidatesForPruning() {
        assertThat(List.of("v2-591223b7", "v1-a0", "v10-0")).allMatch(TransformCache::isBuildDirectoryName);
        assertThat(List.of("key", "v-1", "v1-", "vx-1", "v1-A0", "v1-a0.tmp", "x1-00", "v1a0", "entry-1f.tmp"))
                .noneMatch(TransformCache::isBuildDirectoryName);
    }

    @Test
    void pruningDeletesOldBuildsOnlyInsideTheRoot(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(
                dir.resolve("root"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.write(outside.resolve("precious"), new byte[] {1});
        for (int i = 0; i < 10; i++) {
            Path old = Files.createDirectory(root.resolve("v1-" + Integer.toHexString(0xa0 + i)));
            Files.write(old.resolve("x.bin"), new byte[] {1});
            Files.createSymbolicLink(old.resolve("link"), outside.resolve("precious"));
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Files.createSymbolicLink(root.resolve("v1-00"), outside); // the oldest name of all, but a link
        TransformCache.open(root.toString()).store(CONTEXT, original, transformed);
        try (Stream<Path> files = Files.list(root)) {
            List<String> left =
                    files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(left)
                    .hasSize(1 + 1 + 1 + 7) // key, link, this build, 7 newest old ones
                    .contains("key", "v1-00")
                    .doesNotContain("v1-a0", "v1-a1", "v1-a2");
        }
        assertThat(outside.resolve("precious")).exists();
    }

    @Test
    void whyTheCacheIsOffIsOneLine(@TempDir Path dir) throws Exception {
        Path open = Files.createDirectory(dir.resolve("a\nb"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        TransformCache cache = TransformCache.open(open.toString());
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        assertThat(cache.describe()).contains("a?b").doesNotContain("\n");
    }

    @Test
    void offIsOff() {
        TransformCache cache = TransformCache.open("off");
        cache.store(CONTEXT, original, transformed);
        assertThat(cache.lookup(CONTEXT, original)).isNull();
        assertThat(cache.describe()).isEqualTo("off (cache=off)");
    }

    private static Path entry(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
        }
    }
}
