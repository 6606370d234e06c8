package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The attacks of issue 9 on the transform cache, with real JVMs, the real jar and a second, unprivileged
 * user: hooked JDK classes come from the cache, so whoever could put bytes there would run code inside
 * {@code java.base} of root's JVM, or switch enforce off. Every run is {@code mode=enforce} with the JDK's
 * TLSv1 re-allowed and a program pinned to TLSv1: TLSv1.2 negotiated proves the hooks are tlsguard's.
 *
 * <p>The "patched" classes here are a JDK class unchanged but for a reference to the bootstrap runtime
 * (so they pass tlsguard's structure check), sealed with the cache's own key: what an attacker who owns
 * a cache can make. A control run as that user shows such an entry is taken where the path is trusted,
 * so root's refusal is the path rule at work, not an accident.
 */
class TransformCacheAttackIT {
    private static final String HOOKS = "io/tlsguard/bootstrap/TlsGuardHooks";
    private static final int OLD_MAGIC = 0x7C5CAC4E;
    private static final int MAGIC = 0x7C5CAC4F;

    /** (a) A cache=DIR whose parent another user owns, then swapped for a link to that user's cache. */
    @Test
    void rootDoesNotUseACacheBelowAnotherUsersDirectory(@TempDir Path dir) throws Exception {
        assumeTrue(TestUser.available(), "needs root and useradd/runuser");
        Jdk jdk = Jdks.get("jdk17");
        Path shared = Files.createDirectory(
                Paths.get("/tmp/tlsguard-attack-" + System.nanoTime()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            TestUser.chown(shared);
            Path theirs = shared.resolve("theirs");
            poisonedCacheOfTheUser(jdk, shared, theirs);

            Path rootsCache = Files.createDirectory(
                    shared.resolve("cache"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            "rwx------"))); // made by root, as an earlier tlsguard would have
            CacheRun first = run(jdk, dir, "first", "cache=" + rootsCache);
            assertEnforcedWithoutTheCache(first);
            assertThat(first.result().stderrLines())
                    .as("an explicit cache that is refused is said once")
                    .filteredOn(l -> l.contains("transform cache is off"))
                    .singleElement()
                    .asString()
                    .contains(shared.toString());
            try (Stream<Path> files = Files.list(rootsCache)) {
                assertThat(files)
                        .as("nothing written below the other user's directory")
                        .isEmpty();
            }

            // the other user swaps the directory for a link to their cache
            asUser(List.of("mv", rootsCache.toString(), shared.resolve("moved").toString()));
            asUser(List.of("ln", "-s", theirs.toString(), rootsCache.toString()));
            CacheRun swapped = run(jdk, dir, "swapped", "cache=" + rootsCache);
            assertEnforcedWithoutTheCache(swapped);
        } finally {
            TestUser.exec(List.of("rm", "-rf", shared.toString()));
        }
    }

    /** (a) A root JVM that inherited another user's XDG_CACHE_HOME: the default cache is off, silently. */
    @Test
    void rootDoesNotUseAnotherUsersXdgCache(@TempDir Path dir) throws Exception {
        assumeTrue(TestUser.available(), "needs root and useradd/runuser");
        Jdk jdk = Jdks.get("jdk17");
        Path xdg = Files.createDirectory(
                Paths.get("/tmp/tlsguard-xdg-" + System.nanoTime()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            TestUser.chown(xdg);
            poisonedCacheOfTheUser(jdk, xdg, xdg.resolve("tlsguard"));
            CacheRun run = run(jdk, dir, "xdg", null, "XDG_CACHE_HOME", xdg.toString());
            assertEnforcedWithoutTheCache(run);
            assertThat(run.result().stderrLines())
                    .as("the default place refused: silently")
                    .hasSize(1);
        } finally {
            TestUser.exec(List.of("rm", "-rf", xdg.toString()));
        }
    }

    /** What a bad entry in root's own cache may hold: none of them may be defined as a JDK class. */
    enum BadEntry {
        /** (b) the unhooked original, framed and checksummed as earlier builds did (CRC-32). */
        ORIGINAL_WITH_OLD_CRC,
        /** (b) the unhooked original, framed as now, with a MAC that is not the key's. */
        ORIGINAL_WITH_WRONG_MAC,
        /** (b) a patched class that passes the structure check, with a MAC that is not the key's. */
        PATCHED_WITH_WRONG_MAC,
        /** (b) the unhooked original with a valid MAC (a tool with the key): not a hooked class. */
        ORIGINAL_WITH_VALID_MAC,
        /** (c) garbage, framed with a valid MAC: must not kill the JVM with ClassFormatError. */
        GARBAGE_WITH_VALID_MAC,
        /** (c) garbage with a valid old-style CRC, the entry that killed the host on every start. */
        GARBAGE_WITH_OLD_CRC
    }

    /** (b), (c) Every hooked class's entry replaced by the owner (corruption, a tool): woven afresh and rewritten. */
    @ParameterizedTest
    @EnumSource(BadEntry.class)
    void aBadEntryInRootsOwnCacheIsWovenAfresh(BadEntry bad, @TempDir Path dir) throws Exception {
        Jdk jdk = Jdks.get("jdk17");
        Path cache = dir.resolve("cache");
        CacheRun cold = run(jdk, dir, "cold", "cache=" + cache);
        assertThat(cold.result().negotiated("ctx-tlsv1"))
                .as(cold.result().toString())
                .isEqualTo("TLSv1.2");
        Cache c = Cache.at(cache);
        List<Path> planted = new ArrayList<>();
        for (Path entry : c.entries()) {
            Files.write(entry, c.badEntry(bad, entry));
            planted.add(entry);
        }
        assertThat(planted).hasSize(7);

        CacheRun run = run(jdk, dir, "bad", "cache=" + cache);
        assertThat(run.result().stderr()).doesNotContain("ClassFormatError").doesNotContain("Error");
        assertThat(run.result().stderrLines())
                .as("nothing of it reaches the host's stderr")
                .hasSize(1);
        assertEnforcedWithoutTheCache(run);
        for (Path entry : planted) {
            assertThat(c.verifies(entry))
                    .as("%s rewritten by tlsguard", entry.getFileName())
                    .isTrue();
        }
        CacheRun warm = run(jdk, dir, "warm", "cache=" + cache);
        assertThat(warm.byteBuddyClasses()).as("and used again afterwards").isZero();
        assertThat(warm.result().negotiated("ctx-tlsv1")).isEqualTo("TLSv1.2");
    }

    /** Enforce held (the TLSv1 pin rewritten, reported) with every hook in place, and no entry came from the cache. */
    private static void assertEnforcedWithoutTheCache(CacheRun run) {
        assertThat(run.result().exit()).as(run.result().toString()).isZero();
        assertThat(run.result().negotiated("ctx-tlsv1"))
                .as(run.result().toString())
                .isIn("TLSv1.2", "TLSv1.3");
        assertThat(run.report().named("tlsguard.protocol_pin"))
                .as("the pin is seen")
                .hasSize(1);
        assertThat(run.report().named("tls.handshake"))
                .as("handshakes are seen")
                .hasSize(4);
        assertThat(run.byteBuddyClasses())
                .as("the hooked classes were woven, not taken from the cache")
                .isPositive();
    }

    /**
     * As the other user: a cache at {@code cache} made by tlsguard itself, then every entry replaced by a
     * patched class sealed with that cache's key; a control run as the user shows tlsguard takes it there
     * (the user's own JVM: no hooks, TLSv1 negotiated under enforce).
     */
    private static void poisonedCacheOfTheUser(Jdk jdk, Path usersDir, Path cache) throws Exception {
        Fork.Result built = asUser(jdk, usersDir, "built", cache);
        assertThat(built.negotiated("ctx-tlsv1")).as(built.toString()).isEqualTo("TLSv1.2");
        Cache c = Cache.at(cache);
        assertThat(c.entries()).hasSize(7);
        for (Path entry : c.entries()) {
            byte[] patched = c.sealed(entry, patched(Cache.original(Files.readAllBytes(entry))));
            Files.write(entry, patched); // as root: the file keeps its owner, the user
        }
        Fork.Result control = asUser(jdk, usersDir, "control", cache);
        assertThat(control.negotiated("ctx-tlsv1"))
                .as("the control: the user's own JVM takes the patched classes\n" + control)
                .isEqualTo("TLSv1");
    }

    /** The user's JVM, mode=enforce with TLSv1 re-allowed, cache at {@code cache}. */
    private static Fork.Result asUser(Jdk jdk, Path usersDir, String name, Path cache) throws Exception {
        Fork.Result result = Jvm.on(jdk)
                .as(TestUser.NAME)
                .directory(usersDir)
                .agent("mode=enforce,report=" + usersDir.resolve(name + ".jsonl") + ",cache=" + cache)
                .legacySecurity()
                .env("XDG_CACHE_HOME", null)
                .jsseSample("suite", "ctx-tlsv1", "tls13-engine")
                .run();
        assertThat(result.exit()).as(result.toString()).isZero();
        return result;
    }

    private static void asUser(List<String> command) throws Exception {
        TestUser.Exec e = TestUser.exec(TestUser.runAs(command));
        assertThat(e.exit()).as(command + ": " + e.output()).isZero();
    }

    /** The class unchanged but for one more constant: a reference to the bootstrap runtime (an inert "hook"). */
    private static byte[] patched(byte[] original) {
        ClassReader reader = OpenedClassReader.of(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(writer, 0);
        writer.newClass(HOOKS);
        return writer.toByteArray();
    }

    /** Root's JVM: enforce, {@code env} (name, value...) added to its environment; XDG_CACHE_HOME in {@code dir}. */
    private static CacheRun run(Jdk jdk, Path dir, String name, String cacheOption, String... env) throws Exception {
        return CacheRun.fork(jdk, dir, name, "mode=enforce" + (cacheOption == null ? "" : "," + cacheOption), jvm -> {
            jvm.env("XDG_CACHE_HOME", dir.resolve("xdg").toString());
            for (int i = 0; i < env.length; i += 2) {
                jvm.env(env[i], env[i + 1]);
            }
        });
    }

    /** A tlsguard cache root as the tests see it: its key, its one build directory, its entries; the format written independently. */
    private record Cache(byte[] key, Path build) {
        static Cache at(Path root) throws IOException {
            try (Stream<Path> builds = Files.list(root)) {
                Path build = builds.filter(p -> p.getFileName().toString().startsWith("v2-"))
                        .findFirst()
                        .orElseThrow();
                return new Cache(Files.readAllBytes(root.resolve("key")), build);
            }
        }

        List<Path> entries() throws IOException {
            try (Stream<Path> files = Files.list(build)) {
                return files.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
            }
        }

        static String internalName(Path entry) {
            String file = entry.getFileName().toString();
            String name = file.substring(0, file.lastIndexOf('-', file.lastIndexOf('-') - 1));
            return name.replace('.', '/');
        }

        static byte[] original(byte[] entry) {
            ByteBuffer b = ByteBuffer.wrap(entry);
            b.getInt();
            byte[] original = new byte[b.getInt()];
            b.get(original);
            return original;
        }

        byte[] sealed(Path entry, byte[] transformed) throws Exception {
            return frame(
                    MAGIC,
                    Cache.original(Files.readAllBytes(entry)),
                    transformed,
                    mac -> mac(internalName(entry), mac));
        }

        boolean verifies(Path entry) throws Exception {
            byte[] bytes = Files.readAllBytes(entry);
            byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
            return ByteBuffer.wrap(bytes).getInt() == MAGIC
                    && Arrays.equals(
                            mac(internalName(entry), body), Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length));
        }

        byte[] badEntry(BadEntry bad, Path entry) throws Exception {
            byte[] original = Cache.original(Files.readAllBytes(entry));
            byte[] garbage = new byte[original.length];
            new SecureRandom().nextBytes(garbage);
            System.arraycopy(
                    new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61}, 0, garbage, 0, 8);
            String name = internalName(entry);
            return switch (bad) {
                case ORIGINAL_WITH_OLD_CRC -> oldCrc(original, original);
                case GARBAGE_WITH_OLD_CRC -> oldCrc(original, garbage);
                case ORIGINAL_WITH_WRONG_MAC -> frame(MAGIC, original, original, body -> randomMac());
                case PATCHED_WITH_WRONG_MAC -> frame(MAGIC, original, patched(original), body -> randomMac());
                case ORIGINAL_WITH_VALID_MAC -> frame(MAGIC, original, original, body -> mac(name, body));
                case GARBAGE_WITH_VALID_MAC -> frame(MAGIC, original, garbage, body -> mac(name, body));
            };
        }

        /** HMAC-SHA256 with the root's key over the fingerprint (the build directory's name), the class name and the body. */
        private byte[] mac(String internalName, byte[] body) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((build.getFileName() + "\0" + internalName + "\0").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        }

        private static byte[] randomMac() {
            byte[] mac = new byte[32];
            new SecureRandom().nextBytes(mac);
            return mac;
        }

        interface Sealer {
            byte[] seal(byte[] body) throws Exception;
        }

        private static byte[] frame(int magic, byte[] original, byte[] transformed, Sealer sealer) throws Exception {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(magic);
            out.writeInt(original.length);
            out.write(original);
            out.writeInt(transformed.length);
            out.write(transformed);
            out.write(sealer.seal(buffer.toByteArray()));
            return buffer.toByteArray();
        }

        private static byte[] oldCrc(byte[] original, byte[] transformed) throws Exception {
            return frame(OLD_MAGIC, original, transformed, body -> {
                CRC32 crc = new CRC32();
                crc.update(body);
                return ByteBuffer.allocate(8).putLong(crc.getValue()).array();
            });
        }
    }
}
