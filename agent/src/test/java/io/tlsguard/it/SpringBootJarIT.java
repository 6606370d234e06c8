package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.PeerServer;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A library nested in a real Spring Boot executable jar (JavaMail 1.6.2 in {@code BOOT-INF/lib}, pinning TLSv1
 * through {@code mail.smtp.ssl.protocols}; the application in {@code BOOT-INF/classes}; loaded by Spring Boot's
 * own loader): the report names the nested jar ({@code /…/app.jar!/BOOT-INF/lib/javax.mail-1.6.2.jar}), the
 * coordinates it says, and the application's line that called into it, for both URL forms: Boot 2.7's
 * {@code jar:file:…!/BOOT-INF/lib/x.jar!/} (sample springboot-legacy, Java 8 and later; run on 8, 11 and 17) and
 * Boot 3.2+'s {@code jar:nested:…/!BOOT-INF/lib/x.jar!/} (springboot3-legacy, Boot 4's loader, which needs Java
 * 17; run on 17, 21 and 25). In enforce, so the pin also shows the loader changes nothing of what enforce does.
 */
class SpringBootJarIT {
    private static final String SAMPLE_MAIN = "io.tlsguard.samples.springboot.LegacyBootMail";

    @RegisterExtension
    static final PeerServer peer = new PeerServer(
            () -> Jvm.on(Jdks.get("jdk17")).legacySecurity().args("-jar", peers().toString(), "smtp", "0"));

    /** (jdk, sample): the Boot 2.7 jar below Java 17 and on 17, the Boot 4 jar from 17 on. */
    static Stream<Arguments> jdksAndJars() {
        return Jdks.all().flatMap(jdk -> {
            Stream.Builder<Arguments> runs = Stream.builder();
            if (jdk.feature() <= 17) {
                runs.add(Arguments.of(jdk, "springboot-legacy"));
            }
            if (jdk.feature() >= 17) {
                runs.add(Arguments.of(jdk, "springboot3-legacy"));
            }
            return runs.build();
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndJars")
    void thePinNamesTheNestedJarItsCoordinatesAndTheApplicationsLine(Jdk jdk, String sample, @TempDir Path dir)
            throws Exception {
        Path app = sampleJar(sample);
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=enforce,report=" + report)
                .legacySecurity()
                .args("-jar", app.toString(), String.valueOf(peer.port()))
                .run();
        Report r = Report.read(report);
        assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");

        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(run + "\n" + r).hasSize(1);
        JsonNode pin = pins.get(0);
        assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten");
        assertThat(text(pin, "code.function.name"))
                .as(pin.toString())
                .isEqualTo("com.sun.mail.util.SocketFetcher.configureSSLSocket");
        assertThat(text(pin, "tlsguard.library.jar")).isEqualTo(app + "!/BOOT-INF/lib/javax.mail-1.6.2.jar");
        assertThat(text(pin, "tlsguard.library.coordinates")).isEqualTo("com.sun.mail:javax.mail:1.6.2");
        assertThat(text(pin, "tlsguard.caller.function.name")).isEqualTo(SAMPLE_MAIN + ".send");
        assertThat(text(pin, "tlsguard.caller.file.path")).isEqualTo("LegacyBootMail.java");
        assertThat(pin.get("tlsguard.caller.line.number").asInt()).isEqualTo(callingLine());

        JsonNode library = r.summary().get("tlsguard.libraries").get(0);
        assertThat(text(library, "tlsguard.library.jar")).isEqualTo(app + "!/BOOT-INF/lib/javax.mail-1.6.2.jar");
        assertThat(text(library, "tlsguard.library.coordinates")).isEqualTo("com.sun.mail:javax.mail:1.6.2");
    }

    /** The line of the sample's source where it calls into the library: Transport.send(message). */
    private static int callingLine() throws Exception {
        Path source = sampleJar("springboot-legacy")
                .getParent()
                .resolveSibling("src/main/java/io/tlsguard/samples/springboot/LegacyBootMail.java");
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("Transport.send(message);")) {
                return i + 1;
            }
        }
        throw new AssertionError("no Transport.send(message) in " + source);
    }

    private static Path sampleJar(String sample) {
        return Path.of(System.getProperty("tlsguard.samples", "../sample-apps"))
                .resolve(sample)
                .resolve("target")
                .resolve(sample + ".jar")
                .toAbsolutePath()
                .normalize();
    }

    private static Path peers() {
        return Path.of(System.getProperty("tlsguard.peers", "../sample-apps/compat-peers/target/compat-peers.jar"))
                .toAbsolutePath()
                .normalize();
    }
}
