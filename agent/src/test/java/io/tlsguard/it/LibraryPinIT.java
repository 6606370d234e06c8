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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real, unmodified library whose classes live in JDK-looking packages ({@code javax.mail}, {@code com.sun.mail}:
 * JavaMail 1.6.2) pins TLSv1 through its own setting ({@code mail.smtp.ssl.protocols=TLSv1}), run from its own jar
 * (sample-apps/javaxmail-legacy) against the STARTTLS peer of sample-apps/compat-peers. The report must name the
 * library's frame, not the application's (the JDK is what the bootstrap and platform loaders define, not a package
 * prefix), the library's jar and Maven coordinates, and the application's line that called into it; the summary
 * groups the pins by library. In enforce, the library is raised to the floor itself, TLSv1.2 (issue 11), or to the
 * floor and above with rewrite=floor-and-above.
 */
class LibraryPinIT {
    private static final String SAMPLE_MAIN = "io.tlsguard.samples.javaxmail.LegacyJavaxMail";

    /** The SMTP peer: compat-peers on JDK 17 with legacy security, so it accepts what each mode leaves. */
    @RegisterExtension
    static final PeerServer peer = new PeerServer(
            () -> Jvm.on(Jdks.get("jdk17")).legacySecurity().args("-jar", peers().toString(), "smtp", "0"));

    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void thePinNamesTheLibraryItsJarAndTheCallingLine(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = sample(jdk, "mode=" + mode + ",report=" + report);
        Report r = Report.read(report);

        List<JsonNode> pins = r.named("tlsguard.protocol_pin");
        assertThat(pins).as(run + "\n" + r).hasSize(1);
        JsonNode pin = pins.get(0);
        assertThat(text(pin, "tlsguard.api")).isEqualTo("SSLSocket.setEnabledProtocols");
        assertThat(pin.get("tlsguard.protocols.requested").toString()).isEqualTo("[\"TLSv1\"]");
        assertLibrary(pin);
        assertThat(text(pin, "code.stacktrace"))
                .startsWith("com.sun.mail.util.SocketFetcher.configureSSLSocket(SocketFetcher.java:")
                .contains("com.sun.mail.smtp.SMTPTransport.startTLS(", "javax.mail.Service.connect(");
        switch (mode) {
            case "report":
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1 ");
                assertThat(text(pin, "tlsguard.action")).isEqualTo("observed");
                break;
            case "enforce": // the floor itself: a legacy library is changed as little as the floor needs
                assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.2 ");
                assertThat(text(pin, "tlsguard.action")).isEqualTo("rewritten");
                assertThat(pin.get("tlsguard.protocols.applied").toString()).isEqualTo("[\"TLSv1.2\"]");
                break;
            default:
                assertThat(run.stdout()).as(run.toString()).contains("RESULT FAIL");
                assertThat(text(pin, "tlsguard.action")).isEqualTo("denied");
        }

        JsonNode summary = r.summary();
        JsonNode counted = summary.get("tlsguard.pins").get(0);
        assertLibrary(counted);
        List<JsonNode> libraries = new ArrayList<>();
        summary.get("tlsguard.libraries").forEach(libraries::add);
        assertThat(libraries).as(summary.toString()).hasSize(1);
        assertThat(text(libraries.get(0), "tlsguard.library.coordinates")).isEqualTo("com.sun.mail:javax.mail:1.6.2");
        assertThat(libraries.get(0).get("tlsguard.pin.sites").asInt()).isEqualTo(1);
        assertThat(libraries.get(0).get("count").asInt()).isEqualTo(1);
    }

    /** The other choice: the floor and every version the socket supports above it, so TLSv1.3 is negotiated. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void rewriteFloorAndAboveRaisesTheLibraryToTls13(Jdk jdk, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = sample(jdk, "mode=enforce,rewrite=floor-and-above,report=" + report);
        Report r = Report.read(report);
        JsonNode pin = r.named("tlsguard.protocol_pin").get(0);
        assertThat(pin.get("tlsguard.protocols.applied").toString())
                .as(r.toString())
                .isEqualTo("[\"TLSv1.3\",\"TLSv1.2\"]");
        assertThat(run.stdout()).as(run.toString()).contains("RESULT OK TLSv1.3 ");
    }

    private static Fork.Result sample(Jdk jdk, String options) throws Exception {
        return Jvm.on(jdk)
                .agent(options)
                .legacySecurity()
                .args("-jar", sampleJar().toString(), String.valueOf(peer.port()))
                .run();
    }

    private static void assertLibrary(JsonNode e) throws Exception {
        assertThat(text(e, "code.function.name"))
                .as(e.toString())
                .isEqualTo("com.sun.mail.util.SocketFetcher.configureSSLSocket");
        assertThat(text(e, "code.file.path")).isEqualTo("SocketFetcher.java");
        assertThat(Path.of(text(e, "tlsguard.library.jar")))
                .isEqualTo(sampleJar().resolveSibling("lib").resolve("javax.mail-1.6.2.jar"));
        assertThat(text(e, "tlsguard.library.coordinates")).isEqualTo("com.sun.mail:javax.mail:1.6.2");
        assertThat(text(e, "tlsguard.library.name")).isEqualTo("javax.mail");
        assertThat(text(e, "tlsguard.library.version")).isEqualTo("1.6.2");
        assertThat(text(e, "tlsguard.caller.function.name")).isEqualTo(SAMPLE_MAIN + ".send");
        assertThat(text(e, "tlsguard.caller.file.path")).isEqualTo("LegacyJavaxMail.java");
        assertThat(e.get("tlsguard.caller.line.number").asInt()).isEqualTo(callingLine());
    }

    /** The line of the sample's source where it calls into the library: Transport.send(message). */
    private static int callingLine() throws Exception {
        Path source = sampleJar()
                .getParent()
                .resolveSibling("src/main/java/io/tlsguard/samples/javaxmail/LegacyJavaxMail.java");
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("Transport.send(message);")) {
                return i + 1;
            }
        }
        throw new AssertionError("no Transport.send(message) in " + source);
    }

    private static Path sampleJar() {
        return Path.of(System.getProperty(
                        "tlsguard.sample.javaxmail", "../sample-apps/javaxmail-legacy/target/javaxmail-legacy.jar"))
                .toAbsolutePath()
                .normalize();
    }

    private static Path peers() {
        return Path.of(System.getProperty("tlsguard.peers", "../sample-apps/compat-peers/target/compat-peers.jar"))
                .toAbsolutePath()
                .normalize();
    }
}
