package io.tlsguard.compat;

import java.util.List;

/** What every cell must do, and why: the first expectation that matches a cell is its own (E1, E2... in that order). */
public final class Expectations {
    private Expectations() {}

    private static final Integer ANY_JDK = null;
    private static final String ANY_APP = null;
    private static final Security ANY_SECURITY = null;
    private static final Mode ANY_MODE = null;

    public static final List<Expectation> ALL = List.of(
            new Expectation(
                    "jdkhttp",
                    8,
                    ANY_MODE,
                    ANY_SECURITY,
                    Expect.FAIL,
                    "needs Java 11",
                    "java.net.http exists from Java 11: the jar is built for release 11"
                            + " (UnsupportedClassVersionError on 8)"),
            new Expectation(
                    "httpclient45+otel",
                    ANY_JDK,
                    ANY_MODE,
                    Security.DEFAULT,
                    Expect.SKIP,
                    "-",
                    "the coexistence row runs with the legacy override only (its no-agent/default behaviour is the"
                            + " httpclient45 row)"),
            new Expectation(
                    "netty-tcnative",
                    ANY_JDK,
                    Mode.NONE,
                    Security.DEFAULT,
                    Expect.OK_LEGACY,
                    "BoringSSL ignores the JVM's security",
                    "netty-tcnative negotiates in BoringSSL, which never reads jdk.tls.disabledAlgorithms: the TLSv1.1"
                            + " pin is honoured whatever the JVM disables"),
            new Expectation(
                    "netty-tcnative",
                    ANY_JDK,
                    Mode.REPORT,
                    Security.DEFAULT,
                    Expect.OK_LEGACY,
                    "BoringSSL ignores the JVM's security; report only observes",
                    "mode=report only observes: BoringSSL negotiates the TLSv1.1 pin, and it is reported"),
            new Expectation(
                    ANY_APP,
                    ANY_JDK,
                    Mode.NONE,
                    Security.DEFAULT,
                    Expect.FAIL,
                    "JVM disables TLSv1/1.1",
                    "the JDK's own jdk.tls.disabledAlgorithms disables TLSv1/TLSv1.1 (8u291+, 11.0.11+, 16+): the"
                            + " legacy pin leaves no usable protocol"),
            new Expectation(
                    ANY_APP,
                    ANY_JDK,
                    Mode.NONE,
                    Security.LEGACY,
                    Expect.OK_LEGACY,
                    "-",
                    "with TLSv1/1.1 re-allowed the pin is honoured: this is where legacy protocols really get"
                            + " negotiated"),
            new Expectation(
                    ANY_APP,
                    ANY_JDK,
                    Mode.REPORT,
                    Security.DEFAULT,
                    Expect.FAIL,
                    "JVM disables TLSv1/1.1; report only observes",
                    "mode=report only observes: same failure as without the agent"),
            new Expectation(
                    ANY_APP,
                    ANY_JDK,
                    Mode.REPORT,
                    Security.LEGACY,
                    Expect.OK_LEGACY,
                    "-",
                    "mode=report only observes: the legacy protocol is negotiated and reported"),
            new Expectation(
                    ANY_APP,
                    ANY_JDK,
                    Mode.ENFORCE,
                    ANY_SECURITY,
                    Expect.OK_MODERN,
                    "-",
                    "mode=enforce raises every legacy pin to TLSv1.2+: the connection works on a modern protocol"));

    /** The cell's expectation and its number (1-based, "E3"); a cell nothing matches is not asserted. */
    public static Numbered of(Cell cell) {
        for (int i = 0; i < ALL.size(); i++) {
            if (ALL.get(i).matches(cell)) {
                return new Numbered(i + 1, ALL.get(i));
            }
        }
        return new Numbered(0, new Expectation(null, null, null, null, Expect.ANY, "-", "no expectation"));
    }

    /** An expectation with its number in {@link #ALL} (0: none matched). */
    public record Numbered(int number, Expectation expectation) {
        public String id() {
            return number == 0 ? "-" : "E" + number;
        }

        public Expect expect() {
            return expectation.expect();
        }
    }
}
