package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk cache of transformed JDK classes: exact originals only, intact entries only, private directories only. */
class TransformCacheTest {
    private static final byte[] ORIGINAL = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 1, 2, 3};
    private static final byte[] TRANSFORMED = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 4, 5, 6, 7};

    @Test
    void givesBackWhatWasStoredForTheSameOriginalOnly(@TempDir Path dir) throws Exception {
        TransformCache cache = TransformCache.open(dir.resolve("c").toString());
        assertThat(cache.lookup("javax/net/ssl/SSLContext", ORIGINAL)).isNull();
        cache.store("javax/net/ssl/SSLContext", ORIGINAL, TRANSFORMED);
        assertThat(TransformCache.open(dir.resolve("c").toString()).lookup("javax/net/ssl/SSLContext", ORIGINAL)).isEqualTo(TRANSFORMED);
        byte[] otherOriginal = ORIGINAL.clone();
        otherOriginal[6] = 9;
        assertThat(cache.lookup("javax/net/ssl/SSLContext", otherOriginal)).isNull();
        assertThat(cache.lookup("javax/net/ssl/SSLParameters", ORIGINAL)).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c")))).isEqualTo("rwx------");
    }

    @Test
    void ignoresADamagedEntry(@TempDir Path dir) throws Exception {
        TransformCache cache = TransformCache.open(dir.toString());
        cache.store("javax/net/ssl/SSLContext", ORIGINAL, TRANSFORMED);
        Path entry;
        try (Stream<Path> files = Files.walk(dir)) {
            entry = files.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 10] ^= 1;
        Files.write(entry, bytes);
        assertThat(cache.lookup("javax/net/ssl/SSLContext", ORIGINAL)).isNull();
        Files.write(entry, new byte[] {1, 2});
        assertThat(cache.lookup("javax/net/ssl/SSLContext", ORIGINAL)).isNull();
    }

    @Test
    void refusesADirectoryOthersCanWrite(@TempDir Path dir) throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        TransformCache cache = TransformCache.open(open.toString());
        cache.store("javax/net/ssl/SSLContext", ORIGINAL, TRANSFORMED);
        assertThat(cache.lookup("javax/net/ssl/SSLContext", ORIGINAL)).isNull();
        assertThat(cache.describe()).startsWith("off (").contains("writable by others");
        try (Stream<Path> files = Files.list(open)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void offIsOff() {
        TransformCache cache = TransformCache.open("off");
        cache.store("javax/net/ssl/SSLContext", ORIGINAL, TRANSFORMED);
        assertThat(cache.lookup("javax/net/ssl/SSLContext", ORIGINAL)).isNull();
        assertThat(cache.describe()).isEqualTo("off (cache=off)");
    }
}
