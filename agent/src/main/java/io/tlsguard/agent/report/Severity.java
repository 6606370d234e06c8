package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * A line's severity as OpenTelemetry's log data model writes it: {@code severity_text} and
 * {@code severity_number} (WARN is 13, INFO is 9), so any pipeline can filter on it.
 */
public enum Severity {
    INFO(9),
    WARN(13);

    private final int number;
    /** Both fields as one piece of text after the line's first fields: written on every line (issue 14). */
    private final SerializedString fields;

    Severity(int number) {
        this.number = number;
        this.fields = new SerializedString(",\"severity_text\":\"" + name() + "\",\"severity_number\":" + number);
    }

    /** The SeverityNumber of OpenTelemetry's log data model. */
    public int number() {
        return number;
    }

    /** Writes both fields into the current object, which already holds a field (as {@link Resource#write}). */
    void write(JsonGenerator json) throws IOException {
        json.writeRaw(fields);
    }

    /** JSSE's protocol names, oldest first: a handshake's is compared with the floor's by this order. */
    private static final String[] PROTOCOLS = {"SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

    /**
     * WARN for a failed handshake or one below the floor (or of a protocol tlsguard cannot place), INFO for a
     * handshake at or above it.
     */
    static Severity ofHandshake(boolean established, String protocol, String floor) {
        if (!established) {
            return WARN;
        }
        int version = rank(protocol);
        int minimum = rank(floor);
        return version >= 0 && minimum >= 0 && version >= minimum ? INFO : WARN;
    }

    private static int rank(String protocol) {
        for (int i = 0; i < PROTOCOLS.length; i++) {
            if (PROTOCOLS[i].equals(protocol)) {
                return i;
            }
        }
        return -1;
    }
}
