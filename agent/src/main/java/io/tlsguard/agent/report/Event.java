package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One line of the report. Built on the hooked thread (cheap), written by the writer thread (Jackson). */
public interface Event {
    void write(JsonGenerator json) throws IOException;
}
