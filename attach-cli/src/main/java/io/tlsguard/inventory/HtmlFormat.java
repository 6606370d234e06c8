package io.tlsguard.inventory;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * The inventory as one self-contained HTML page: inline CSS and one inline script (sorting and filtering tables),
 * nothing fetched, so it opens offline and from a mail attachment. Its Content-Security-Policy allows no network
 * access at all and only that script (by its hash). Every value from a report is HTML-escaped: a peer named
 * {@code <script>} shows as text.
 */
final class HtmlFormat {
    /** Makes every table.sortable sortable by a click on a header, with a filter box above it. No report data. */
    static final String SCRIPT = String.join(
            "\n",
            "document.querySelectorAll('table.sortable').forEach(function (table) {",
            "  var filter = document.createElement('input');",
            "  filter.type = 'search'; filter.className = 'filter'; filter.placeholder = 'filter rows';",
            "  filter.addEventListener('input', function () {",
            "    var q = filter.value.toLowerCase();",
            "    table.querySelectorAll('tbody tr').forEach(function (tr) {",
            "      tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';",
            "    });",
            "  });",
            "  table.parentNode.insertBefore(filter, table);",
            "  table.querySelectorAll('th').forEach(function (th, col) {",
            "    th.addEventListener('click', function () {",
            "      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);",
            "      var asc = th.getAttribute('aria-sort') !== 'ascending';",
            "      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });",
            "      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');",
            "      rows.sort(function (a, b) {",
            "        var x = a.cells[col].getAttribute('data-sort') || a.cells[col].textContent;",
            "        var y = b.cells[col].getAttribute('data-sort') || b.cells[col].textContent;",
            "        var n = parseFloat(x) - parseFloat(y);",
            "        var c = isNaN(n) ? x.localeCompare(y) : n;",
            "        return asc ? c : -c;",
            "      });",
            "      rows.forEach(function (r) { body.appendChild(r); });",
            "    });",
            "  });",
            "});",
            "document.body.setAttribute('data-script', 'ran');");

    static final String CSS = String.join(
            "\n",
            "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em;color:#1d2330;max-width:1400px}",
            "h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccd}h3{margin-bottom:.3em}",
            "table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccd;padding:3px 8px;"
                    + "text-align:left;vertical-align:top}",
            "th{background:#eef;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:' \\25B2'}",
            "th[aria-sort=descending]::after{content:' \\25BC'}",
            ".verdict{font-weight:bold;padding:1px 8px;border-radius:3px;white-space:nowrap}",
            ".ready{background:#d7f5dd;color:#0a5d1e}.notready{background:#fde0e0;color:#8a1010}",
            ".blocks{color:#8a1010;font-weight:bold}.muted{color:#667}",
            ".bar{display:flex;height:14px;min-width:300px}.bar span{display:block;height:100%}",
            ".v-SSLv3,.v-TLSv1{background:#c62828}.v-TLSv1_1{background:#ef6c00}.v-TLSv1_2{background:#1565c0}"
                    + ".v-TLSv1_3{background:#2e7d32}.v-other{background:#999}",
            ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}",
            "input.filter{display:block;margin-top:.5em;padding:3px 6px;width:20em}",
            "code{font-size:12px;word-break:break-all}");

    private HtmlFormat() {}

    static String scriptHash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(SCRIPT.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Fleet fleet, PrintWriter out) {
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; script-src '" + scriptHash() + "'\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>tlsguard inventory: " + JsonFormat.count(fleet, false) + " of " + fleet.services.map.size()
                + " services not ready for " + esc(fleet.floor) + "</title>");
        out.println("<style>" + CSS + "</style></head><body>");
        out.println("<h1>TLS readiness for " + esc(fleet.floor) + "</h1>");
        out.println("<p id=\"summary\"><b>" + JsonFormat.count(fleet, false) + "</b> of " + fleet.services.map.size()
                + " services not ready. " + fleet.filesRead + " report file(s), " + fleet.linesRead + " line(s) read, "
                + fleet.linesUsed + " used, <span id=\"skipped\">" + fleet.linesSkipped() + "</span> skipped"
                + (fleet.filesUnreadable > 0 ? ", " + fleet.filesUnreadable + " file(s) unreadable" : "") + ".</p>");
        unreadable(fleet, out);
        verdicts(fleet, out);
        days(fleet, out);
        fleetTable(out, "peers", "Legacy peers", "Peer (role)", fleet.peers.map);
        fleetTable(out, "call-sites", "Legacy pins by call site", "Call site", fleet.callSites.map);
        out.println("<h2>Services in detail</h2>");
        int n = 0;
        for (ServiceInventory s : JsonFormat.notReadyFirst(fleet)) {
            details(out, s, fleet.floor, n++);
        }
        out.println("<p class=\"muted\">Made by tlsguard-attach inventory. A service is ready when it had no "
                + "handshake below the floor, no pin to protocols below it only, and no handshake failing for such a "
                + "pin or a legacy-only peer (docs/fleet.md).</p>");
        out.println("<script>" + SCRIPT + "</script>");
        out.println("</body></html>");
        out.flush();
    }

    private static void unreadable(Fleet fleet, PrintWriter out) {
        if (fleet.unreadable.isEmpty()) {
            return;
        }
        out.println("<details><summary>Files that could not be read</summary><ul>");
        for (Fleet.Unreadable u : fleet.unreadable) {
            out.println("<li><code>" + esc(u.path) + "</code>: " + esc(u.reason) + "</li>");
        }
        out.println("</ul></details>");
    }

    private static void verdicts(Fleet fleet, PrintWriter out) {
        out.println("<h2>Verdict per service</h2>");
        out.println(
                "<table id=\"verdicts\" class=\"sortable\"><thead><tr><th>Service</th><th>Verdict</th>"
                        + "<th>Why not</th><th>First seen</th><th>Last seen</th><th>Runs</th><th>Hosts</th></tr></thead><tbody>");
        int n = 0;
        for (ServiceInventory s : JsonFormat.notReadyFirst(fleet)) {
            TreeSet<String> hosts = new TreeSet<>();
            s.instances.map.values().forEach(i -> hosts.add(i.host == null ? "?" : i.host));
            out.println("<tr data-service=\"" + esc(s.name) + "\" data-ready=\"" + s.ready() + "\"><td><a href=\"#svc-"
                    + n++ + "\">" + esc(s.name) + "</a></td><td>" + verdict(s) + "</td><td>"
                    + esc(String.join("; ", s.reasons(fleet.floor))) + "</td><td>" + esc(s.seen.first) + "</td><td>"
                    + esc(s.seen.last) + "</td><td>" + s.instances.map.size() + "</td><td>" + esc(join(hosts))
                    + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    private static String verdict(ServiceInventory s) {
        return s.ready()
                ? "<span class=\"verdict ready\">ready</span>"
                : "<span class=\"verdict notready\">not ready</span>";
    }

    /** Established handshakes per day as a stacked bar per protocol. */
    private static void days(Fleet fleet, PrintWriter out) {
        if (fleet.days.map.isEmpty()) {
            return;
        }
        out.println("<h2>Protocols over time</h2><p class=\"legend\">established handshakes per day (UTC):"
                + "<span class=\"v-TLSv1\"></span>SSLv3/TLSv1<span class=\"v-TLSv1_1\"></span>TLSv1.1"
                + "<span class=\"v-TLSv1_2\"></span>TLSv1.2<span class=\"v-TLSv1_3\"></span>TLSv1.3</p>");
        out.println("<table id=\"days\" class=\"sortable\"><thead><tr><th>Day</th><th>Handshakes</th>"
                + "<th>Below floor</th><th>By protocol</th></tr></thead><tbody>");
        for (Map.Entry<String, Map<String, Long>> e : fleet.days.map.entrySet()) {
            long total =
                    e.getValue().values().stream().mapToLong(Long::longValue).sum();
            long legacy = e.getValue().entrySet().stream()
                    .filter(v -> Protocol.below(v.getKey(), fleet.floor))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            StringBuilder bar = new StringBuilder("<div class=\"bar\">");
            StringBuilder title = new StringBuilder();
            for (Map.Entry<String, Long> v : e.getValue().entrySet()) {
                double pct = 100.0 * v.getValue() / Math.max(1, total);
                String cls = Protocol.rankOfName(v.getKey()) == Protocol.UNKNOWN
                        ? "other"
                        : v.getKey().replace('.', '_');
                bar.append("<span class=\"v-")
                        .append(esc(cls))
                        .append("\" style=\"width:")
                        .append(String.format(java.util.Locale.ROOT, "%.2f", pct))
                        .append("%\" title=\"")
                        .append(esc(v.getKey() + ": " + v.getValue()))
                        .append("\"></span>");
                title.append(title.length() == 0 ? "" : ", ")
                        .append(v.getKey())
                        .append(' ')
                        .append(v.getValue());
            }
            out.println("<tr><td>" + esc(e.getKey()) + "</td><td>" + total + "</td><td>" + legacy + "</td><td>" + bar
                    + "</div><span class=\"muted\">" + esc(title.toString()) + "</span></td></tr>");
        }
        out.println("</tbody></table>");
    }

    private static void fleetTable(PrintWriter out, String id, String heading, String what, Map<String, Tally> rows) {
        if (rows.isEmpty()) {
            return;
        }
        out.println("<h2>" + heading + "</h2>");
        out.println("<table id=\"" + id + "\" class=\"sortable\"><thead><tr><th>" + what + "</th><th>Protocols</th>"
                + "<th>Count</th><th>Services</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>");
        for (Map.Entry<String, Tally> e : rows.entrySet()) {
            Tally t = e.getValue();
            out.println("<tr><td><code>" + esc(e.getKey()) + "</code></td><td>" + esc(join(t.protocols)) + "</td><td>"
                    + t.count + "</td><td>" + esc(join(t.services)) + "</td><td>" + esc(t.first) + "</td><td>"
                    + esc(t.last) + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    private static void details(PrintWriter out, ServiceInventory s, String floor, int n) {
        out.println("<section id=\"svc-" + n + "\" class=\"service\"><h3>" + esc(s.name) + " " + verdict(s) + "</h3>");
        out.println("<p>Established: " + esc(s.established.isEmpty() ? "none" : s.established.toString())
                + (s.failed > 0 ? "; failed: " + s.failed : "") + ". Seen " + esc(s.seen.first) + " to "
                + esc(s.seen.last) + ".</p>");
        if (!s.legacyPeers.map.isEmpty() || !s.legacyClients.map.isEmpty()) {
            out.println("<table class=\"sortable legacy\"><thead><tr><th>Legacy handshakes</th><th>Peer</th>"
                    + "<th>Protocols</th><th>Count</th><th>Last seen</th></tr></thead><tbody>");
            peerRows(out, "as client, to", s.legacyPeers.map);
            peerRows(out, "as server, from", s.legacyClients.map);
            out.println("</tbody></table>");
        }
        if (!s.pins.map.isEmpty()) {
            out.println("<table class=\"sortable pins\"><thead><tr><th>Pin</th><th>Protocols</th><th>Call site</th>"
                    + "<th>Library</th><th>Action</th><th>Count</th></tr></thead><tbody>");
            for (ServiceInventory.Pin p : s.pins.map.values()) {
                out.println("<tr><td>" + (p.blocking ? "<span class=\"blocks\">blocks</span> " : "allows legacy ")
                        + esc(p.api) + "</td><td>" + esc(join(p.requested)) + "</td><td><code>"
                        + esc(Fleet.siteLabel(p.site, null)) + "</code></td><td><code>" + esc(library(p.site))
                        + "</code></td><td>" + esc(String.join(", ", p.actions)) + "</td><td>" + p.seen.count
                        + "</td></tr>");
            }
            out.println("</tbody></table>");
        }
        if (!s.failures.map.isEmpty()) {
            out.println("<table class=\"sortable failures\"><thead><tr><th>Failed handshakes</th><th>Peer</th>"
                    + "<th>Why</th><th>Pin</th><th>Count</th><th>Last seen</th></tr></thead><tbody>");
            for (ServiceInventory.Failure f : s.failures.map.values()) {
                out.println("<tr><td>" + (f.blocking ? "<span class=\"blocks\">blocks</span> " : "") + esc(f.cause)
                        + "</td><td>" + esc(f.side + " " + f.peer) + "</td><td>" + esc(f.message) + "</td><td><code>"
                        + esc(f.pin.known() ? Fleet.siteLabel(f.pin, f.pinApi) : "") + "</code></td><td>"
                        + f.seen.count + "</td><td>" + esc(f.seen.last) + "</td></tr>");
            }
            out.println("</tbody></table>");
        }
        out.println("<table class=\"sortable runs\"><thead><tr><th>Host</th><th>PID</th><th>Runtime</th>"
                + "<th>First seen</th><th>Last seen</th></tr></thead><tbody>");
        for (ServiceInventory.Instance i : s.instances.map.values()) {
            out.println("<tr><td>" + esc(i.host) + "</td><td>" + i.pid + "</td><td>" + esc(i.runtime) + "</td><td>"
                    + esc(i.seen.first) + "</td><td>" + esc(i.seen.last) + "</td></tr>");
        }
        out.println("</tbody></table></section>");
    }

    private static void peerRows(PrintWriter out, String role, Map<String, Tally> rows) {
        for (Map.Entry<String, Tally> e : rows.entrySet()) {
            out.println("<tr><td>" + role + "</td><td><code>" + esc(e.getKey()) + "</code></td><td>"
                    + esc(join(e.getValue().protocols)) + "</td><td>" + e.getValue().count + "</td><td>"
                    + esc(e.getValue().last) + "</td></tr>");
        }
    }

    private static String library(ReportLine.Site s) {
        if (s.coordinates != null && s.jar != null) {
            return s.coordinates + " (" + s.jar + ")";
        }
        return s.coordinates != null ? s.coordinates : s.jar;
    }

    private static String join(Collection<String> values) {
        return values == null ? "" : String.join(", ", values);
    }

    /** HTML text and attribute escaping: & < > " '. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }
}
