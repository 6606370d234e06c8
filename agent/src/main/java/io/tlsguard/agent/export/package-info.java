/**
 * The OTLP export: every report line, also sent as an OpenTelemetry log record over OTLP/HTTP JSON to a
 * collector ({@link io.tlsguard.agent.export.OtlpExporter}), where {@link io.tlsguard.agent.export.OtlpEndpoint}
 * says (the {@code otlp=} option or the standard {@code OTEL_EXPORTER_OTLP_*} variables), each line mapped by
 * {@link io.tlsguard.agent.export.LogRecords}. Bounded, on its own thread, never in a host thread's way.
 *
 * <p>May use: shaded Jackson (streaming) and the JDK (HttpURLConnection for the transport). It reads the
 * report's lines as JSON, not its classes: nothing else of the agent, so the wiring ({@code io.tlsguard.agent})
 * hands it the lines through {@code report.LineTap}.
 */
package io.tlsguard.agent.export;
