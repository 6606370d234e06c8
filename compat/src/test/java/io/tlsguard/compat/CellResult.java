package io.tlsguard.compat;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cell did.
 *
 * @param worked the client connected (and, on the OpenTelemetry row, a span was exported) / the server accepted a
 *     protocol version
 * @param protocols the negotiated protocol (clients) or the versions openssl could negotiate (servers)
 * @param detail why it did not work (the exception), or the cipher
 * @param report tlsguard's report ({@link ReportSummary#ABSENT} without the agent)
 * @param reportViolation why the report is not valid (not JSON, not as docs/report.schema.json says), or null
 * @param output the command, its stdout and stderr, and the report: what a failure shows
 */
public record CellResult(
        Cell cell,
        boolean worked,
        List<String> protocols,
        String detail,
        ReportSummary report,
        String reportViolation,
        double seconds,
        String output) {
    /** "OK TLSv1.2", "OK TLSv1+TLSv1.1" or "fail". */
    public String outcome() {
        return worked ? "OK " + String.join("+", protocols) : "fail";
    }

    /** Whether the cell met its expectation, and the note the matrix shows for it. */
    public Verdict verdict() {
        Expectations.Numbered expected = cell.expectation();
        String note = expected.id() + ": " + expected.expectation().note();
        if (expected.expect() == Expect.ANY) {
            return new Verdict(Verdict.Kind.INFO, expected, note);
        }
        boolean met = expected.expect().metBy(worked, protocols);
        if (met
                && worked
                && cell.app().has(App.Check.COMPLETE_REPORT)
                && cell.mode() != Mode.NONE
                && !(report.hasHandshake() && report.hasPin())) {
            return new Verdict(Verdict.Kind.MISS, expected, note + "; tlsguard's report incomplete (" + report + ")");
        }
        return new Verdict(met ? Verdict.Kind.PASS : Verdict.Kind.MISS, expected, note);
    }

    /** What the matrix's notes column says of this cell (several notes may be grouped across cells). */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        Verdict verdict = verdict();
        if (cell.mode() != Mode.NONE && !detail.startsWith(ClientOutcome.NO_RESULT) && !report.hasPin()) {
            notes.add("tlsguard reported no pin");
        }
        if (cell.mode() != Mode.NONE && worked && !report.hasHandshake()) {
            notes.add("tlsguard reported no handshake");
        }
        if (verdict.kind() == Verdict.Kind.MISS) {
            notes.add("UNEXPECTED, expected " + verdict.expected().expect() + " ("
                    + verdict.expected().id() + ")");
        } else if (!worked) {
            notes.add(verdict.note());
        }
        return notes;
    }
}
