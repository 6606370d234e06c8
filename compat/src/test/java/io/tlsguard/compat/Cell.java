package io.tlsguard.compat;

import io.tlsguard.testsupport.Jdks.Jdk;

/** One cell of the matrix: an application on a JDK, with tlsguard in a mode (or without it), under a security configuration. */
public record Cell(App app, Jdk jdk, Mode mode, Security security) {
    /** e.g. "okhttp jdk17 enforce/default": the name a failure and the test report show. */
    public String name() {
        return app.id() + " " + jdk.name() + " " + mode + "/" + security;
    }

    /** A file name for what the cell leaves behind (its report). */
    public String fileName() {
        return (app.id() + "." + jdk.feature() + "." + mode + "." + security).replace('+', '_');
    }

    public Expectations.Numbered expectation() {
        return Expectations.of(this);
    }
}
