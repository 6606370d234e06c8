package io.tlsguard.compat;

import io.tlsguard.testsupport.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What tlsguard reported in a cell: its handshakes (how many established, which tls.protocol.version values) and its
 * pins. Read with test-support's {@link Report}, which checks every line against docs/report.schema.json.
 *
 * @param present false: no report (no file, or an empty one)
 */
public record ReportSummary(boolean present, int handshakes, int established, SortedSet<String> versions, int pins) {
    static final ReportSummary ABSENT = new ReportSummary(false, 0, 0, new TreeSet<>(), 0);

    /** Reads a report; a line that is not JSON or not as the schema says throws AssertionError (the cell fails). */
    public static ReportSummary read(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return ABSENT;
        }
        Report report = Report.read(file);
        var handshakes = report.named("tls.handshake");
        SortedSet<String> versions = new TreeSet<>();
        int established = 0;
        for (var handshake : handshakes) {
            if (handshake.path("tls.established").asBoolean(false)) {
                established++;
            }
            String version = Report.text(handshake, "tls.protocol.version");
            if (version != null) {
                versions.add(version);
            }
        }
        return new ReportSummary(
                true,
                handshakes.size(),
                established,
                versions,
                report.named("tlsguard.protocol_pin").size());
    }

    public boolean hasHandshake() {
        return present && handshakes > 0;
    }

    public boolean hasPin() {
        return present && pins > 0;
    }

    /** e.g. "hs=1(ok=1 v=1.2) pins=1", or "no-report". */
    @Override
    public String toString() {
        if (!present) {
            return "no-report";
        }
        String v = versions.isEmpty() ? "" : " v=" + String.join(",", versions);
        return "hs=" + handshakes + "(ok=" + established + v + ") pins=" + pins;
    }
}
