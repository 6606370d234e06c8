package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * One line of the report. Built on the hooked thread (cheap), written by the writer thread (Jackson), with
 * the JVM's identity ({@link Resource}) and the line's {@link Severity} right after the timestamp.
 */
public interface Event {
    void write(JsonGenerator json, Resource resource) throws IOException;

    /** How much this line matters: WARN for what stands in the way of the floor, INFO for the rest. */
    Severity severity();
}
