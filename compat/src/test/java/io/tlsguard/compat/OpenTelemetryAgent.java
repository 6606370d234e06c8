package io.tlsguard.compat;

import java.nio.file.Path;
import java.util.List;

/** The OpenTelemetry Java agent of the coexistence row, as Maven copied it from Maven Central (compat/pom.xml). */
public final class OpenTelemetryAgent {
    private OpenTelemetryAgent() {}

    public static Path jar() {
        return Path.of(System.getProperty(
                        "tlsguard.otel.agent", "target/it-agents/opentelemetry-javaagent-" + version() + ".jar"))
                .toAbsolutePath();
    }

    public static String version() {
        return System.getProperty("tlsguard.otel.version", "2.33.1");
    }

    /** The JVM flags that run it first, tracing to the logging exporter (on stderr) and exporting nothing else. */
    public static List<String> jvmFlags() {
        return List.of(
                "-javaagent:" + jar(),
                "-Dotel.traces.exporter=logging",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.javaagent.logging=simple");
    }

    /** What the logging exporter writes for each span: the proof that OpenTelemetry's agent worked. */
    public static boolean exportedASpan(String stderr) {
        return stderr.contains("LoggingSpanExporter");
    }
}
