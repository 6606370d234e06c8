package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
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

/**
 * The transform cache: a JVM started again with the same agent and JDK takes the hooked JDK classes
 * from disk and never loads Byte Buddy, and still reports every handshake. A damaged entry or a cache
 * directory open to others is not used; a damaged entry costs the host nothing visible, a refused
 * {@code cache=DIR} is said once on stderr (TransformCacheAttackIT has the attacks of issue 9).
 */
class TransformCacheIT {
    private static final String BYTE_BUDDY = "io.tlsguard.shaded.bytebuddy.";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void warmJvmHooksFromTheCacheWithoutByteBuddy(Jdk jdk, @TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Run cold = run(jdk, dir, "cold", "cache=" + cache);
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

        Run warm = run(jdk, dir, "warm", "cache=" + cache);
        assertThat(warm.byteBuddyClasses())
                .as("a warm JVM loads no Byte Buddy\n" + warm.result)
                .isZero();
        assertThat(warm.report.named("tls.handshake"))
                .as("hooks work from the cache")
                .hasSize(4);
        assertThat(warm.report.named("tlsguard.protocol_pin")).as("pins too").hasSize(1);
        assertThat(warm.result.stderrLines()).hasSize(1);
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

        Run damaged = run(jdk, dir, "damaged", "cache=" + cache);
        assertThat(damaged.byteBuddyClasses())
                .as("the damaged class is woven again")
                .isPositive();
        assertThat(damaged.report.named("tls.handshake"))
                .as(damaged.result.toString())
                .hasSize(4);
        assertThat(damaged.result.stderrLines()).hasSize(1);
        assertThat(Files.readAllBytes(entry)).as("and stored again").isNotEqualTo(bytes);
    }

    @Test
    void directoryOpenToOthersIsNotUsed(@TempDir Path dir) throws Exception {
        Path cache = Files.createDirectory(
                dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        Run run = run(Jdks.get("jdk17"), dir, "open", "cache=" + cache);
        assertThat(run.report.named("tls.handshake")).hasSize(4);
        assertThat(run.result.stderrLines())
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
        Run run = run(Jdks.get("jdk17"), dir, "off", "cache=off", "-Duser.home=" + home);
        assertThat(run.byteBuddyClasses()).isPositive();
        assertThat(run.report.named("tls.handshake")).hasSize(4);
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files).as("no cache directory made").containsExactly(home);
        }
    }

    private record Run(Fork.Result result, Report report, List<String> classLog) {
        long byteBuddyClasses() {
            return classLog.stream().filter(l -> l.contains(BYTE_BUDDY)).count();
        }
    }

    /** A TLSv1-pinned SSLContext round trip and a TLS 1.3 engine pair (4 handshakes, 1 pin), class loading logged. */
    private static Run run(Jdk jdk, Path dir, String name, String cacheOption, String... jvmArgs) throws Exception {
        Path report = dir.resolve(name + ".jsonl");
        Path classLog = dir.resolve(name + ".classes");
        Jvm jvm = Jvm.on(jdk)
                .agent("report=" + report + "," + cacheOption)
                .jvmArg(jdk.feature() >= 9 ? "-Xlog:class+load=info:file=" + classLog : "-verbose:class");
        for (String arg : jvmArgs) {
            jvm.jvmArg(arg);
        }
        Fork.Result result = jvm.legacySecurity()
                .jsseSample("suite", "ctx-tlsv1", "tls13-engine")
                .run();
        assertThat(result.exit()).as(result.toString()).isZero();
        List<String> classes = jdk.feature() >= 9
                ? Files.readAllLines(classLog)
                : result.stdout().lines().toList();
        return new Run(result, Report.read(report), classes);
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
