package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transform cache: a JVM started again with the same agent and JDK takes the hooked JDK classes
 * from disk and never loads Byte Buddy, and still reports every handshake. A damaged entry or a cache
 * directory open to others is not used; a damaged entry costs the host nothing visible, a refused
 * {@code cache=DIR} is said once on stderr (TransformCacheAttackIT has the attacks of issue 9).
 */
class TransformCacheIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void warmJvmHooksFromTheCacheWithoutByteBuddy(Jdk jdk, @TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        CacheRun cold = run(jdk, dir, "cold", "cache=" + cache);
        assertThat(cold.byteBuddyClasses())
                .as("the first JVM weaves with Byte Buddy")
                .isPositive();
        assertThat(entries(cache))
                .as("hooked JDK classes stored")
                .contains(
                        "javax.net.ssl.SSLContext",
                        "sun.security.ssl.SSLSocketImpl",
                        "sun.security.ssl.SSLEngineImpl",
                        "sun.security.ssl.TransportContext",
                        "sun.security.ssl.HandshakeContext");

        CacheRun warm = run(jdk, dir, "warm", "cache=" + cache);
        assertThat(warm.byteBuddyClasses())
                .as("a warm JVM loads no Byte Buddy\n" + warm.result())
                .isZero();
        assertThat(warm.report().named("tls.handshake"))
                .as("hooks work from the cache")
                .hasSize(4);
        assertThat(warm.report().named("tlsguard.protocol_pin")).as("pins too").hasSize(1);
        assertThat(warm.result().stderrLines()).hasSize(1);
    }

    /**
     * A first start weaves {@code SSLContext} on tlsguard's own thread, not in the program's first use of it: this
     * program never loads it, yet it lands in the cache (and the next start of a TLS program finds it there).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk8", "jdk17", "jdk25"})
    void firstStartWeavesSslContextAheadOfTheProgram(String jdkName, @TempDir Path dir) throws Exception {
        Jdk jdk = Jdks.get(jdkName);
        Path cache = dir.resolve("cache");
        Path classLog = dir.resolve("classes.log");
        Jvm jvm = Jvm.on(jdk).agent("cache=" + cache + ",report=" + dir.resolve("report.jsonl"));
        if (jdk.feature() >= 9) {
            jvm.jvmArg("-Xlog:class+load=info:file=" + classLog);
        } else {
            jvm.jvmArg("-verbose:class");
        }
        Fork.Result result = jvm.jsseSampleClass(
                        "io.tlsguard.samples.jsse.AwaitFile", cache.toString(), "javax.net.ssl.SSLContext-", "20")
                .run();
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(entries(cache)).containsExactly("javax.net.ssl.SSLContext");
        List<String> classes = jdk.feature() >= 9
                ? Files.readAllLines(classLog)
                : result.stdout().lines().toList();
        assertThat(classes)
                .as("the program itself never loaded it")
                .noneMatch(l -> l.contains("javax.net.ssl.SSLContext "));
        assertThat(result.stderrLines()).as("one start line, nothing else").hasSize(1);
    }

    /**
     * {@code java -jar tlsguard.jar warm-cache} (an image build's step) weaves every hooked JDK class ahead: the
     * first start of a TLS program after it loads no Byte Buddy at all.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk8", "jdk25"})
    void warmCacheCommandMakesTheFirstStartWarm(String jdkName, @TempDir Path dir) throws Exception {
        Jdk jdk = Jdks.get(jdkName);
        Path cache = dir.resolve("cache");
        Fork.Result warming = Fork.of(List.of(
                        jdk.home().resolve("bin/java").toString(),
                        "-jar",
                        Artifacts.agentJar().toString(),
                        "warm-cache",
                        "cache=" + cache))
                .run();
        assertThat(warming.exit()).as(warming.toString()).isZero();
        assertThat(warming.stdout()).contains("7 classes woven, 0 already there");
        assertThat(entries(cache))
                .containsExactlyInAnyOrder(
                        "javax.net.ssl.SSLContext",
                        "javax.net.ssl.SSLParameters",
                        "sun.security.ssl.SSLSocketImpl",
                        "sun.security.ssl.SSLServerSocketImpl",
                        "sun.security.ssl.SSLEngineImpl",
                        "sun.security.ssl.TransportContext",
                        "sun.security.ssl.HandshakeContext");

        CacheRun first = run(jdk, dir, "first", "cache=" + cache);
        assertThat(first.byteBuddyClasses())
                .as("no Byte Buddy\n" + first.result())
                .isZero();
        assertThat(first.report().named("tls.handshake")).hasSize(4);
        assertThat(first.report().named("tlsguard.protocol_pin")).hasSize(1);
    }

    @Test
    void damagedEntryIsNotUsed(@TempDir Path dir) throws Exception {
        Jdk jdk = Jdks.get("jdk17");
        Path cache = dir.resolve("cache");
        run(jdk, dir, "cold", "cache=" + cache);
        Path entry;
        try (Stream<Path> files = Files.walk(cache)) {
            entry = files.filter(p -> p.getFileName().toString().startsWith("sun.security.ssl.TransportContext-"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 100] ^= 0x5A; // inside the transformed class file: the checksum no longer holds
        Files.write(entry, bytes);

        CacheRun damaged = run(jdk, dir, "damaged", "cache=" + cache);
        assertThat(damaged.byteBuddyClasses())
                .as("the damaged class is woven again")
                .isPositive();
        assertThat(damaged.report().named("tls.handshake"))
                .as(damaged.result().toString())
                .hasSize(4);
        assertThat(damaged.result().stderrLines()).hasSize(1);
        assertThat(Files.readAllBytes(entry)).as("and stored again").isNotEqualTo(bytes);
    }

    @Test
    void directoryOpenToOthersIsNotUsed(@TempDir Path dir) throws Exception {
        Path cache = Files.createDirectory(
                dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        CacheRun run = run(Jdks.get("jdk17"), dir, "open", "cache=" + cache);
        assertThat(run.report().named("tls.handshake")).hasSize(4);
        assertThat(run.result().stderrLines())
                .as("the start line, and once why the cache the user asked for is off")
                .hasSize(2)
                .filteredOn(l -> l.startsWith("tlsguard: the transform cache is off for this run: "))
                .singleElement()
                .asString()
                .contains(cache + " is writable by other users");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).as("nothing written there").isEmpty();
        }
    }

    @Test
    void cacheOffStoresNothing(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        CacheRun run = run(Jdks.get("jdk17"), dir, "off", "cache=off", "-Duser.home=" + home);
        assertThat(run.byteBuddyClasses()).isPositive();
        assertThat(run.report().named("tls.handshake")).hasSize(4);
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files).as("no cache directory made").containsExactly(home);
        }
    }

    /** A {@link CacheRun} that must succeed; {@code jvmArgs} added. */
    private static CacheRun run(Jdk jdk, Path dir, String name, String cacheOption, String... jvmArgs)
            throws Exception {
        CacheRun run = CacheRun.fork(jdk, dir, name, cacheOption, jvm -> jvm.jvmArgs(List.of(jvmArgs)));
        assertThat(run.result().exit()).as(run.result().toString()).isZero();
        return run;
    }

    private static List<String> entries(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bin"))
                    .map(n -> n.substring(0, n.indexOf('-')))
                    .toList();
        }
    }
}
