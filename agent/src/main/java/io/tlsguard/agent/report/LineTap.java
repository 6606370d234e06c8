package io.tlsguard.agent.report;

/**
 * Gets every line the {@link ReportWriter} serialised (the summary included), whether or not the report
 * file took it: the OTLP export sends the same events. Called on the writer thread; must never block.
 */
public interface LineTap {
    /** One JSON object, UTF-8, without its newline; {@code utf8} is the writer's buffer: copy what you keep. */
    void line(byte[] utf8, int offset, int length);
}
