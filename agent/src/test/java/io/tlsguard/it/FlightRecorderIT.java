package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tlsguard's Flight Recorder events (issue 13), in a recording the user starts on the command line, read back by
 * this JVM's {@code jdk.jfr.consumer} (JDK 17 reads the recordings of JDK 8u to 25): one JVM a JDK, a pinned
 * program whose handshake fails and a modern one that succeeds (on JDK 11 under the program's own security manager). And a JVM without {@code jdk.jfr}, which must never
 * load it.
 */
class FlightRecorderIT {
    private static final String PINNING_CLASS = "io.tlsguard.samples.jsse.LegacyJsse$Scenarios";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tlsguard.testsupport.Jdks#all")
    void pinsAndHandshakesAreRecorded(Jdk jdk, @TempDir Path dir) throws Exception {
        Path recording = dir.resolve("tlsguard.jfr");
        Path report = dir.resolve("report.jsonl");
        Jvm jvm = Jvm.on(jdk);
        if (jdk.name().equals("jdk11")) {
            // the program installs a security manager whose policy grants tlsguard.jar nothing (as in
            // SecurityManagerIT): the guard commits its events in its own privileged path all the same
            jvm.jvmArg("-Djava.security.policy=" + SecurityManagerIT.appPolicy(dir, ""))
                    .jvmArg("-Dsample.securityManager=true");
        }
        Fork.Result run = jvm.jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
                .agent("report=" + report)
                .jsseSample("suite", "ctx-tlsv1", "tls13-socket")
                .timeout(60)
                .run();
        assertThat(run.scenario("tls13-socket")).as(run.toString()).contains("OK");
        assertThat(run.scenario("ctx-tlsv1")).as(run.toString()).contains("No appropriate protocol");

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().startsWith("tlsguard."))
                .collect(Collectors.toList());
        List<RecordedEvent> pins = named(events, "tlsguard.ProtocolPin");
        List<RecordedEvent> handshakes = named(events, "tlsguard.Handshake");

        assertThat(pins).as(describe(events)).hasSize(1);
        RecordedEvent pin = pins.get(0);
        assertThat(pin.getString("api")).isEqualTo("SSLContext.getInstance");
        assertThat(pin.getString("requested")).isEqualTo("TLSv1");
        assertThat(pin.getString("action")).isEqualTo("observed");
        assertThat(pin.getString("codeFunction")).isEqualTo(PINNING_CLASS + ".run");
        assertThat(pin.getInt("codeLine")).isPositive();
        assertThat(pin.getString("libraryJar")).endsWith("jsse-legacy.jar");
        assertThat(pin.getLong("occurrence")).isEqualTo(1);
        assertThat(pin.getThread().getJavaName()).isEqualTo("scenario-ctx-tlsv1");
        // Flight Recorder's own stack trace of the pinning thread: the JDK call, then the program's method
        List<String> frames = pin.getStackTrace().getFrames().stream()
                .map(FlightRecorderIT::frame)
                .collect(Collectors.toList());
        assertThat(frames).contains("javax.net.ssl.SSLContext.getInstance", PINNING_CLASS + ".run");
        assertThat(frames.indexOf(PINNING_CLASS + ".run"))
                .isGreaterThan(frames.indexOf("javax.net.ssl.SSLContext.getInstance"));
        EventType type = pin.getEventType();
        assertThat(type.getCategoryNames()).containsExactly("tlsguard", "TLS");
        assertThat(type.getLabel()).isEqualTo("TLS Protocol Pin");

        RecordedEvent failed = only(handshakes, "scenario-ctx-tlsv1");
        assertThat(failed.getBoolean("established")).isFalse();
        assertThat(failed.getString("side")).isEqualTo("client");
        assertThat(failed.getString("failureCause")).isEqualTo("pin_below_jvm_floor");
        assertThat(failed.getString("failurePinApi")).isEqualTo("SSLContext.getInstance");
        assertThat(failed.getString("errorType")).isEqualTo("javax.net.ssl.SSLHandshakeException");
        assertThat(failed.getString("mode")).isEqualTo("report");
        assertThat(failed.getString("floor")).isEqualTo("TLSv1.2");

        RecordedEvent established = only(handshakes, "scenario-tls13-socket");
        assertThat(established.getBoolean("established")).isTrue();
        assertThat(established.getString("protocolVersion")).isEqualTo("TLSv1.3");
        assertThat(established.getString("cipherSuite")).startsWith("TLS_");
        assertThat(established.getString("serverAddress")).isEqualTo("127.0.0.1");
        assertThat(established.getInt("serverPort")).isPositive();
        assertThat(established.getString("peerSubject")).contains("tlsguard");
        assertThat(handshakes.stream().filter(h -> h.getBoolean("established") && "server".equals(h.getString("side"))))
                .as("the in-process server's side of tls13-socket")
                .hasSize(1);

        // the report is written as before, and holds the same handshakes
        Report r = Report.read(report);
        assertThat(r.named("tls.handshake")).hasSameSizeAs(handshakes);
        assertThat(r.named("tlsguard.protocol_pin")).hasSize(1);
    }

    /**
     * A recording started later with {@code jcmd PID JFR.start} on a running JVM whose tlsguard already
     * reported handshakes (so it probed Flight Recorder before any recording existed) takes the events from
     * then on: the long-lived TLSv1 client against a legacy server, paused, then a burst while recording.
     */
    @Test
    void aRecordingStartedByJcmdTakesTheEvents(@TempDir Path dir) throws Exception {
        Jdk jdk = Jdks.require("jdk17");
        Path recording = dir.resolve("live.jfr");
        try (LiveProcess server = Jvm.on(jdk)
                        .legacySecurity()
                        .jsseServer("socket", "none")
                        .start(dir.resolve("server.err"));
                LiveProcess target = Jvm.on(jdk)
                        .legacySecurity()
                        .agent("report=" + dir.resolve("report.jsonl"))
                        .jsseSampleClass(
                                "io.tlsguard.samples.jsse.LongLivedClient",
                                Integer.toString(server.awaitListening()),
                                "--pause-ms",
                                "50")
                        .start(dir.resolve("target.err"))) {
            target.await(l -> l.startsWith("HS "), WAIT, "a first handshake, before any recording");
            target.command("pause", "PAUSED");
            jcmd(jdk, target.pid(), "JFR.start", "name=tls");
            String burst = target.command("burst 4", "BURST");
            jcmd(jdk, target.pid(), "JFR.dump", "name=tls", "filename=" + recording);
            target.send("quit");
            assertThat(burst).as(burst).contains("ok=4");
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> handshakes = named(events, "tlsguard.Handshake");
        assertThat(handshakes)
                .as(describe(events.stream()
                        .filter(e -> e.getEventType().getName().startsWith("tlsguard."))
                        .collect(Collectors.toList())))
                .filteredOn(h -> h.getBoolean("established") && "TLSv1".equals(h.getString("protocolVersion")))
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(named(events, "tlsguard.ProtocolPin"))
                .as("the engine scenario pins each new engine through setSSLParameters")
                .isNotEmpty();
    }

    private static void jcmd(Jdk jdk, long pid, String... command) throws Exception {
        List<String> line =
                new ArrayList<>(List.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Fork.Result run = Fork.of(line).timeout(Duration.ofSeconds(30)).run();
        assertThat(run.exit()).as(run.toString()).isZero();
    }

    /**
     * A JVM without jdk.jfr ({@code --limit-modules}, as a JDK 8 build without JFR): tlsguard runs and reports, and no
     * class of jdk.jfr nor tlsguard's event classes is ever loaded.
     */
    @Test
    void aJvmWithoutFlightRecorderLoadsNoneOfIt(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Path classes = dir.resolve("classes.log");
        Fork.Result run = Jvm.on(Jdks.require("jdk17"))
                .jvmArg("--limit-modules")
                .jvmArg("java.base,java.instrument")
                .jvmArg("-Xlog:class+load=info:file=" + classes)
                .agent("report=" + report)
                .jsseSample("suite", "ctx-tlsv1", "tls13-socket")
                .timeout(60)
                .run();
        assertThat(run.scenario("tls13-socket")).as(run.toString()).contains("OK");
        assertThat(run.stderr()).doesNotContain("tlsguard:");
        Report r = Report.read(report);
        assertThat(r.named("tlsguard.protocol_pin")).hasSize(1);
        assertThat(r.named("tls.handshake")).hasSize(4);

        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded)
                .as("the probe ran: the guard looked for Flight Recorder")
                .anyMatch(line -> line.contains(" io.tlsguard.agent.jfr.FlightRecorderEvents "));
        assertThat(loaded)
                .noneMatch(line -> line.contains(" jdk.jfr.")
                        || line.contains(" io.tlsguard.agent.jfr.RecordedEvents ")
                        || line.contains("JfrEvent "));
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals(name))
                .collect(Collectors.toList());
    }

    private static RecordedEvent only(List<RecordedEvent> handshakes, String thread) {
        List<RecordedEvent> on = handshakes.stream()
                .filter(h ->
                        h.getThread() != null && thread.equals(h.getThread().getJavaName()))
                .collect(Collectors.toList());
        assertThat(on).as(thread + " in " + describe(handshakes)).hasSize(1);
        return on.get(0);
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String describe(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::toString).collect(Collectors.joining("\n"));
    }
}
