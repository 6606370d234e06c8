package io.tlsguard.inventory;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * One row per service and finding (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes
 * doubled). A cell that starts with = + - @ (or a tab or carriage return) gets a leading ' so that a spreadsheet shows
 * it as text instead of running it as a formula: report values can be hostile. A ready service has one row with
 * finding "none".
 */
final class CsvFormat {
    static final String[] HEADER = {
        "service.name",
        "ready",
        "finding",
        "blocks",
        "subject",
        "protocols",
        "count",
        "first_seen",
        "last_seen",
        "detail"
    };

    private CsvFormat() {}

    static void write(Fleet fleet, PrintWriter out) {
        row(out, HEADER);
        for (ServiceInventory s : JsonFormat.notReadyFirst(fleet)) {
            String ready = Boolean.toString(s.ready());
            int rows = 0;
            for (Map.Entry<String, Tally> e : s.legacyPeers.map.entrySet()) {
                rows += tally(out, s, ready, "legacy_as_client", e.getKey(), e.getValue(), "");
            }
            for (Map.Entry<String, Tally> e : s.legacyClients.map.entrySet()) {
                rows += tally(out, s, ready, "legacy_as_server", e.getKey(), e.getValue(), "");
            }
            for (ServiceInventory.Pin p : s.pins.map.values()) {
                row(
                        out,
                        s.name,
                        ready,
                        "pin",
                        Boolean.toString(p.blocking),
                        Fleet.siteLabel(p.site, p.api),
                        join(p.requested),
                        Long.toString(p.seen.count),
                        p.seen.first,
                        p.seen.last,
                        p.api + " (" + String.join(",", p.actions) + ")");
                rows++;
            }
            for (ServiceInventory.Failure f : s.failures.map.values()) {
                row(
                        out,
                        s.name,
                        ready,
                        "failed_handshake",
                        Boolean.toString(f.blocking),
                        f.side + " " + f.peer,
                        join(f.enabled),
                        Long.toString(f.seen.count),
                        f.seen.first,
                        f.seen.last,
                        f.cause + ": " + f.message
                                + (f.pin.known() ? "; pin at " + Fleet.siteLabel(f.pin, f.pinApi) : ""));
                rows++;
            }
            if (rows == 0) {
                row(out, s.name, ready, "none", "false", "", "", "", s.seen.first, s.seen.last, "");
            }
        }
        out.flush();
    }

    private static int tally(
            PrintWriter out, ServiceInventory s, String ready, String finding, String subject, Tally t, String d) {
        row(
                out,
                s.name,
                ready,
                finding,
                "true",
                subject,
                join(t.protocols),
                Long.toString(t.count),
                t.first,
                t.last,
                d);
        return 1;
    }

    private static String join(java.util.Collection<String> values) {
        return values == null ? "" : String.join(" ", values);
    }

    static void row(PrintWriter out, String... cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(cell(cells[i]));
        }
        out.print(b.append("\r\n"));
    }

    /** One cell: formula-neutralised, then quoted when it must be. */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    static List<String> header() {
        return List.of(HEADER);
    }
}
