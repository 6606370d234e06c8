package io.tlsguard.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Jdks.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The matrix's judgement without forking anything: expectations, the clients' output, verdicts and notes. */
class VerdictTest {
    private static final Jdk JDK8 = new Jdk("jdk8", Path.of("/nonexistent"), 8);
    private static final Jdk JDK17 = new Jdk("jdk17", Path.of("/nonexistent"), 17);

    private static App app(String id) {
        return Apps.ALL.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private static CellResult result(Cell cell, boolean worked, List<String> protocols, ReportSummary report) {
        return new CellResult(
                cell, worked, protocols, worked ? "cipher" : "SSLHandshakeException", report, null, 1, "");
    }

    private static final ReportSummary ONE_HANDSHAKE_ONE_PIN =
            new ReportSummary(true, 1, 1, new TreeSet<>(List.of("1.2")), 1);

    @Test
    void theFirstMatchingExpectationIsTheCellsOwn() {
        assertThat(new Cell(app("jdkhttp"), JDK8, Mode.ENFORCE, Security.LEGACY)
                        .expectation()
                        .id())
                .isEqualTo("E1");
        assertThat(new Cell(app("okhttp"), JDK17, Mode.REPORT, Security.DEFAULT)
                        .expectation()
                        .expect())
                .isEqualTo(Expect.FAIL);
        assertThat(new Cell(app("netty"), JDK17, Mode.ENFORCE, Security.DEFAULT)
                        .expectation()
                        .expect())
                .isEqualTo(Expect.OK_MODERN);
        assertThat(new Cell(app("httpclient45+otel"), JDK17, Mode.NONE, Security.DEFAULT)
                        .expectation()
                        .expect())
                .isEqualTo(Expect.SKIP);
    }

    @Test
    void legacyAndModernAreTellApartForServersToo() {
        assertThat(Expect.OK_MODERN.metBy(true, List.of("TLSv1.2", "TLSv1.3"))).isTrue();
        assertThat(Expect.OK_MODERN.metBy(true, List.of("TLSv1", "TLSv1.2"))).isFalse();
        assertThat(Expect.OK_LEGACY.metBy(true, List.of("TLSv1.1"))).isTrue();
        assertThat(Expect.OK_LEGACY.metBy(false, List.of())).isFalse();
        assertThat(Expect.FAIL.metBy(true, List.of("TLSv1.3"))).isFalse();
    }

    @Test
    void aClientsResultLineIsRead() {
        assertThat(ClientOutcome.parse("x\nRESULT OK TLSv1 TLS_ECDHE_RSA\n", ""))
                .isEqualTo(new ClientOutcome(true, List.of("TLSv1"), "TLS_ECDHE_RSA"));
        assertThat(ClientOutcome.parse("SCENARIO ctx-tlsv1 FAIL javax.net.ssl.SSLHandshakeException: No | way\n", ""))
                .isEqualTo(new ClientOutcome(false, List.of(), "javax.net.ssl.SSLHandshakeException: No   way"));
        ClientOutcome none = ClientOutcome.parse(
                "", "Exception in thread \"main\" java.lang.UnsupportedClassVersionError: X\n\tat y\n");
        assertThat(none.worked()).isFalse();
        assertThat(none.detail()).startsWith(ClientOutcome.NO_RESULT).contains("UnsupportedClassVersionError");
    }

    @Test
    void aCellThatMissesItsExpectationFailsAndSaysSo() {
        Cell cell = new Cell(app("netty"), JDK17, Mode.ENFORCE, Security.LEGACY);
        CellResult legacy = result(cell, true, List.of("TLSv1.1"), ONE_HANDSHAKE_ONE_PIN);
        assertThat(legacy.verdict().kind()).isEqualTo(Verdict.Kind.MISS);
        assertThat(legacy.notes())
                .contains(
                        "UNEXPECTED, expected OK:modern (" + cell.expectation().id() + ")");
        assertThat(result(cell, true, List.of("TLSv1.2"), ONE_HANDSHAKE_ONE_PIN)
                        .verdict()
                        .kind())
                .isEqualTo(Verdict.Kind.PASS);
    }

    @Test
    void coexistenceRowsNeedTlsguardsCompleteReport() {
        Cell cell = new Cell(app("bytebuddy-jackson"), JDK17, Mode.REPORT, Security.LEGACY);
        assertThat(result(cell, true, List.of("TLSv1"), ReportSummary.ABSENT)
                        .verdict()
                        .kind())
                .isEqualTo(Verdict.Kind.MISS);
        assertThat(result(cell, true, List.of("TLSv1"), ONE_HANDSHAKE_ONE_PIN)
                        .verdict()
                        .kind())
                .isEqualTo(Verdict.Kind.PASS);
    }

    @Test
    void notesSayWhatTlsguardDidNotSee() {
        Cell cell = new Cell(app("okhttp"), JDK17, Mode.REPORT, Security.DEFAULT);
        assertThat(result(cell, false, List.of(), new ReportSummary(true, 0, 0, new TreeSet<>(), 0))
                        .notes())
                .containsExactly(
                        "tlsguard reported no pin",
                        cell.expectation().id() + ": JVM disables TLSv1/1.1; report only observes");
    }
}
