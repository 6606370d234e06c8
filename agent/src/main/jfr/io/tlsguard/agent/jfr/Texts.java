package io.tlsguard.agent.jfr;

/** Flight Recorder has no array fields: protocol lists are written comma-separated. */
final class Texts {
    private Texts() {}

    static String list(String[] values) {
        return values == null ? null : String.join(",", values);
    }
}
