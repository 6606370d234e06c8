package io.tlsguard.compat;

/** A cell's result against its expectation. */
public record Verdict(Kind kind, Expectations.Numbered expected, String note) {
    public enum Kind {
        /** as expected */
        PASS,
        /** missed its expectation: the test fails */
        MISS,
        /** not asserted (ANY) */
        INFO
    }
}
