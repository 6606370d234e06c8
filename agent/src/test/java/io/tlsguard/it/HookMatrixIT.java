package io.tlsguard.it;

import static io.tlsguard.testsupport.Report.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hook in every mode on every JDK: the jsse-legacy program pins old TLS each way the JDK API
 * allows, against its own in-process server on 127.0.0.1, in a JVM whose security configuration
 * re-allows TLSv1 (so that without enforcement the legacy protocol really is negotiated).
 */
class HookMatrixIT {

    /**
     * A client scenario, the API it pins through, and what it asks for. {@code guardedApi}: where enforce
     * and deny catch it (a parameters object is rewritten or refused at setProtocols, before it reaches
     * setSSLParameters).
     */
    record ClientPin(String scenario, String api, String guardedApi, String requested) {
        ClientPin(String scenario, String api, String requested) {
            this(scenario, api, api, requested);
        }

        String api(String mode) {
            return mode.equals("report") ? api : guardedApi;
        }
    }

    static final List<ClientPin> CLIENT_PINS = List.of(
            new ClientPin("ctx-tlsv1", "SSLContext.getInstance", "TLSv1"),
            new ClientPin("ctx-tlsv1.1-provider-name", "SSLContext.getInstance", "TLSv1.1"),
            new ClientPin("ctx-tlsv1-provider", "SSLContext.getInstance", "tlsv1"),
            new ClientPin("ctx-ssl", "SSLContext.getInstance", "SSL"),
            new ClientPin("ctx-sslv3", "SSLContext.getInstance", "SSLv3"),
            new ClientPin("socket-enabled", "SSLSocket.setEnabledProtocols", "TLSv1"),
            new ClientPin("socket-enabled-mixed", "SSLSocket.setEnabledProtocols", "TLSv1"),
            new ClientPin("socket-params", "SSLSocket.setSSLParameters", "SSLParameters.setProtocols", "TLSv1.1"),
            new ClientPin("socket-params-ctor", "new SSLParameters", "TLSv1"),
            new ClientPin("socket-params-roundtrip", "SSLSocket.setSSLParameters", "TLSv1"),
            new ClientPin("engine-enabled", "SSLEngine.setEnabledProtocols", "TLSv1"),
            new ClientPin("engine-params", "SSLEngine.setSSLParameters", "SSLParameters.setProtocols", "TLSv1.1"),
            new ClientPin("engine-params-roundtrip", "SSLEngine.setSSLParameters", "TLSv1"),
            new ClientPin("https-url-pinned-factory", "SSLContext.getInstance", "TLSv1"),
            new ClientPin("https-url", "system property https.protocols", "TLSv1"));

    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void clientPins(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        List<String> args = new ArrayList<>(List.of("suite"));
        CLIENT_PINS.forEach(p -> args.add(p.scenario()));
        args.add("unpinned-socket");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .legacySecurity()
                .jvmArg("-Dhttps.protocols=TLSv1")
                .jsseSample(args.toArray(String[]::new))
                .run();
        Report r = Report.read(report);
        if (mode.equals("report")) { // report changes nothing: every scenario ends as it does without tlsguard
            Fork.Result alone = Jvm.on(jdk)
                    .legacySecurity()
                    .jvmArg("-Dhttps.protocols=TLSv1")
                    .jsseSample(args.toArray(String[]::new))
                    .run();
            for (String scenario : args.subList(1, args.size())) {
                assertThat(run.scenario(scenario))
                        .as(scenario + " with and without tlsguard\n" + run + alone)
                        .isEqualTo(alone.scenario(scenario));
            }
        }

        for (ClientPin pin : CLIENT_PINS) {
            String thread = "scenario-" + pin.scenario();
            boolean property = pin.api().startsWith("system property"); // pinned at start, not on the scenario's thread
            List<JsonNode> pins = (property ? r.named("tlsguard.protocol_pin") : r.pins(thread))
                    .stream()
                            .filter(e -> pin.api(mode).equals(text(e, "tlsguard.api")))
                            .toList();
            assertThat(pins).as(pin + " pin event\n" + run + r).isNotEmpty();
            JsonNode event = pins.get(0);
            assertThat(event.get("tlsguard.protocols.requested").toString()).contains("\"" + pin.requested() + "\"");
            if (property) {
                assertThat(event.has("code.function.name"))
                        .as("a property has no call site")
                        .isFalse();
            } else {
                assertThat(text(event, "code.function.name"))
                        .as(pin + " call site")
                        .startsWith("io.tlsguard.samples.jsse.LegacyJsse$Scenarios.");
                assertThat(event.get("code.line.number").asInt()).isPositive();
                assertThat(text(event, "code.file.path")).isEqualTo("LegacyJsse.java");
            }
            switch (mode) {
                case "report" -> assertThat(text(event, "tlsguard.action")).isEqualTo("observed");
                case "enforce" -> {
                    assertThat(text(event, "tlsguard.action")).isEqualTo("rewritten");
                    assertThat(event.get("tlsguard.protocols.applied").toString())
                            .doesNotContain("\"TLSv1\"", "\"TLSv1.1\"", "SSL");
                    // a pin of legacy protocols only becomes the floor itself (issue 11); a roundtrip copies
                    // the JVM's defaults back, TLSv1.3 among them, and only loses what is below the floor
                    boolean keepsTls13 = pin.scenario().endsWith("-roundtrip");
                    assertThat(run.negotiated(pin.scenario()))
                            .as(pin + "\n" + run)
                            .isEqualTo(keepsTls13 ? "TLSv1.3" : "TLSv1.2");
                    List<JsonNode> client = r.handshakes(thread, "client");
                    assertThat(client).as(pin + " client handshake\n" + r).isNotEmpty();
                    assertThat(text(client.get(0), "tls.protocol.version")).isEqualTo(keepsTls13 ? "1.3" : "1.2");
                }
                default -> {
                    assertThat(text(event, "tlsguard.action")).isEqualTo("denied");
                    assertThat(run.scenario(pin.scenario()))
                            .as(pin + "\n" + run)
                            .startsWith(
                                    pin.api(mode).equals("SSLContext.getInstance")
                                            ? "FAIL java.security.NoSuchAlgorithmException: tlsguard (mode=deny)"
                                            : "FAIL java.lang.IllegalArgumentException: tlsguard (mode=deny)");
                }
            }
        }
        // with the JVM's security config re-allowing TLSv1, report mode really negotiates the pins
        if (mode.equals("report")) {
            assertThat(run.negotiated("ctx-tlsv1")).isEqualTo("TLSv1");
            assertThat(run.negotiated("socket-enabled")).isEqualTo("TLSv1");
            assertThat(run.negotiated("socket-params")).isEqualTo("TLSv1.1");
            assertThat(run.negotiated("engine-enabled")).isEqualTo("TLSv1");
            assertThat(run.negotiated("https-url")).isEqualTo("TLSv1");
            assertThat(text(r.handshakes("scenario-socket-enabled", "client").get(0), "tls.protocol.version"))
                    .isEqualTo("1");
        }
        // a connection nobody pinned is never touched, whatever the mode
        assertThat(run.negotiated("unpinned-socket")).isEqualTo("TLSv1.3");
        assertThat(r.pins("scenario-unpinned-socket")).isEmpty();
        assertThat(run.stderrLines())
                .as("the host's stderr")
                .containsExactly("tlsguard " + AgentVersion.get() + ": mode=" + mode + " min=TLSv1.2 report=" + report);
        assertThat(r.summary().get("tlsguard.events.dropped").asLong()).isZero();
    }

    /** A server-side pin: the sample's server transport, its pin, the API it pins through, the protocol pinned. */
    record ServerPin(String transport, String pin, String api, String legacy) {
        /** The sample's "servers" argument, and the prefix of the names of that server's threads. */
        String spec() {
            return transport + "/" + pin;
        }

        /** Where enforce and deny catch it (a parameters object at setProtocols, before setSSLParameters). */
        String caughtAt(String mode) {
            return pin.startsWith("params:") && !mode.equals("report") ? "SSLParameters.setProtocols" : api;
        }
    }

    static final List<ServerPin> SERVER_PINS = List.of(
            new ServerPin("socket", "enabled:TLSv1", "SSLServerSocket.setEnabledProtocols", "TLSv1"),
            new ServerPin("socket", "params:TLSv1.1", "SSLServerSocket.setSSLParameters", "TLSv1.1"),
            new ServerPin("engine", "enabled:TLSv1", "SSLEngine.setEnabledProtocols", "TLSv1"),
            new ServerPin("engine", "params:TLSv1.1", "SSLEngine.setSSLParameters", "TLSv1.1"));

    /**
     * Server-side pins: SSLServerSocket and server SSLEngine, setters and parameters. One JVM a JDK and mode runs
     * the four servers (each made, pinned and served on threads of its own name) and an unpinned client against
     * each; every server is then checked on its own, as a test of its own.
     */
    @TestFactory
    Stream<DynamicContainer> serverPins(@TempDir Path dir) {
        return Jdks.withModes().map(arguments -> {
            Jdk jdk = (Jdk) arguments.get()[0];
            String mode = (String) arguments.get()[1];
            Path report = dir.resolve(jdk.name() + "-" + mode + ".jsonl");
            ServerRun run = new ServerRun(jdk, mode, report);
            return DynamicContainer.dynamicContainer(
                    jdk + " mode=" + mode,
                    SERVER_PINS.stream()
                            .map(pin -> DynamicTest.dynamicTest(
                                    pin.transport() + " server " + pin.pin(), () -> run.check(pin))));
        });
    }

    private static boolean onThreads(JsonNode event, String prefix) {
        String thread = text(event, "thread.name");
        return thread != null && thread.startsWith(prefix);
    }

    /** The one JVM of a JDK and mode that runs every server pin, forked when its first pin is checked. */
    private static final class ServerRun {
        private final Jdk jdk;
        private final String mode;
        private final Path report;
        private Fork.Result run;
        private Report events;

        ServerRun(Jdk jdk, String mode, Path report) {
            this.jdk = jdk;
            this.mode = mode;
            this.report = report;
        }

        void check(ServerPin pin) throws Exception {
            if (run == null) {
                List<String> args = new ArrayList<>(List.of("servers"));
                SERVER_PINS.forEach(p -> args.add(p.spec()));
                run = Jvm.on(jdk)
                        .agent("mode=" + mode + ",report=" + report)
                        .legacySecurity()
                        .jsseSample(args.toArray(String[]::new))
                        .run();
                events = Report.read(report);
            }
            String threads = "server-" + pin.spec(); // the thread that made the server, and its connections'
            String caughtAt = pin.caughtAt(mode);
            List<JsonNode> pins = events.where(e -> "tlsguard.protocol_pin".equals(text(e, "event.name"))
                    && caughtAt.equals(text(e, "tlsguard.api"))
                    && (threads.equals(text(e, "thread.name")) || onThreads(e, threads + "-conn-")));
            assertThat(pins)
                    .as(caughtAt + " on " + threads + "\n" + run + events)
                    .isNotEmpty();
            List<JsonNode> server = events.where(e -> "tls.handshake".equals(text(e, "event.name"))
                    && "server".equals(text(e, "tlsguard.side"))
                    && onThreads(e, threads + "-conn-"));
            String client = "unpinned-socket@" + pin.spec();
            switch (mode) {
                case "report" -> {
                    assertThat(run.negotiated(client)).as(run.toString()).isEqualTo(pin.legacy());
                    assertThat(server).as(events.toString()).isNotEmpty();
                    assertThat(text(server.get(0), "tls.protocol.version"))
                            .isEqualTo(pin.legacy().equals("TLSv1") ? "1" : "1.1");
                    assertThat(text(server.get(0), "tlsguard.transport"))
                            .isEqualTo(pin.transport().equals("engine") ? "SSLEngine" : "SSLSocket");
                }
                case "enforce" -> {
                    assertThat(run.negotiated(client)).as(run.toString()).isIn("TLSv1.2", "TLSv1.3");
                    assertThat(server).as(events.toString()).isNotEmpty();
                    assertThat(text(server.get(0), "tls.protocol.version")).isIn("1.2", "1.3");
                    assertThat(server.get(0).get("tlsguard.protocols.changed").asBoolean())
                            .as(events.toString())
                            .isTrue();
                }
                default ->
                    assertThat(run.stdout())
                            .as(run.toString())
                            .contains("SERVER " + pin.spec() + " FAIL java.lang.IllegalArgumentException: tlsguard"
                                    + " (mode=deny) refused " + caughtAt);
            }
        }
    }

    /** jdk.tls.client.protocols / jdk.tls.server.protocols pin a whole JVM without a single call. */
    @ParameterizedTest(name = "{0} mode={1}")
    @MethodSource("io.tlsguard.testsupport.Jdks#withModes")
    void systemPropertyPins(Jdk jdk, String mode, @TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.jsonl");
        Fork.Result run = Jvm.on(jdk)
                .agent("mode=" + mode + ",report=" + report)
                .legacySecurity()
                .jvmArg("-Djdk.tls.client.protocols=TLSv1")
                .jvmArg("-Djdk.tls.server.protocols=TLSv1,TLSv1.1")
                .jsseSample("suite", "unpinned-socket")
                .run();
        Report r = Report.read(report);
        for (String property : List.of("jdk.tls.client.protocols", "jdk.tls.server.protocols")) {
            assertThat(r.named("tlsguard.protocol_pin").stream().map(e -> text(e, "tlsguard.api")))
                    .as(run + "\n" + r)
                    .contains("system property " + property);
        }
        switch (mode) {
            case "report" ->
                assertThat(run.negotiated("unpinned-socket")).as(run.toString()).isEqualTo("TLSv1");
            case "enforce" ->
                assertThat(run.negotiated("unpinned-socket")).as(run.toString()).isIn("TLSv1.2", "TLSv1.3");
            default -> {
                assertThat(run.scenario("unpinned-socket")).as(run.toString()).startsWith("FAIL");
                List<JsonNode> failed = r.where(e -> "tls.handshake".equals(text(e, "event.name"))
                        && !e.get("tls.established").asBoolean()
                        && "client".equals(text(e, "tlsguard.side")));
                assertThat(failed).as(r.toString()).isNotEmpty();
            }
        }
    }
}
