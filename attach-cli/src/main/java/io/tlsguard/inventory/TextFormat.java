package io.tlsguard.inventory;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * The inventory for a terminal: the verdict per service (not ready first) with its reasons and details, then the
 * fleet-wide tables. Every value from a report is shown with control and bidi characters escaped, so that a hostile
 * report cannot move the cursor, recolour or hide text in the reader's terminal.
 */
final class TextFormat {
    /** Runs (host, pid) listed per service; a terminal is not the place for all of a fleet's restarts. */
    static final int MAX_RUNS_SHOWN = 3;

    private TextFormat() {}

    static void write(Fleet fleet, PrintWriter out) {
        out.println("tlsguard inventory, floor " + fleet.floor + ": " + fleet.filesRead + " file(s), "
                + fleet.linesRead + " line(s) read, " + fleet.linesUsed + " used, " + fleet.linesSkipped()
                + " skipped" + skippedDetail(fleet));
        if (fleet.filesUnreadable > 0) {
            out.println(fleet.filesUnreadable + " file(s) could not be read:");
            for (Fleet.Unreadable u : fleet.unreadable) {
                out.println("  " + safe(u.path) + ": " + safe(u.reason));
            }
        }
        if (fleet.filesOverLimit > 0) {
            out.println(fleet.filesOverLimit + " file(s) not read: more than " + ReportFiles.MAX_FILES);
        }
        out.println(fleet.services.map.size() + " service(s): " + JsonFormat.count(fleet, false) + " NOT READY, "
                + JsonFormat.count(fleet, true) + " ready");
        for (ServiceInventory s : JsonFormat.notReadyFirst(fleet)) {
            out.println();
            service(out, s, fleet.floor);
        }
        if (!fleet.peers.map.isEmpty()) {
            out.println();
            out.println("Legacy peers across the fleet (handshakes below " + fleet.floor
                    + ", or failed for a legacy pin or peer):");
            for (Map.Entry<String, Tally> e : fleet.peers.map.entrySet()) {
                Tally t = e.getValue();
                out.println("  " + safe(e.getKey()) + "  " + list(t.protocols) + "  " + t.count + "x  services "
                        + list(t.services));
            }
        }
        if (!fleet.callSites.map.isEmpty()) {
            out.println();
            out.println("Legacy pins across the fleet, by call site:");
            for (Map.Entry<String, Tally> e : fleet.callSites.map.entrySet()) {
                Tally t = e.getValue();
                out.println("  " + safe(e.getKey()) + "  " + list(t.protocols) + "  " + t.count + "x  services "
                        + list(t.services));
            }
        }
    }

    private static String skippedDetail(Fleet fleet) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Fleet.Skip, Long> e : fleet.skipped.entrySet()) {
            b.append(b.length() == 0 ? " (" : ", ")
                    .append(e.getValue())
                    .append(' ')
                    .append(e.getKey().meaning);
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }

    private static void service(PrintWriter out, ServiceInventory s, String floor) {
        TreeSet<String> hosts = new TreeSet<>();
        s.instances.map.values().forEach(i -> hosts.add(i.host == null ? "?" : i.host));
        out.println((s.ready() ? "ready      " : "NOT READY  ") + safe(s.name) + "  (seen " + s.seen.first + " .. "
                + s.seen.last + ", " + s.instances.map.size() + " run(s) on host(s) " + list(hosts) + ")");
        for (String r : s.reasons(floor)) {
            out.println("  - " + r);
        }
        out.println("  handshakes: " + (s.established.isEmpty() ? "none established" : s.established.toString())
                + (s.failed > 0 ? ", " + s.failed + " failed" : ""));
        TreeSet<String> runtimes = new TreeSet<>();
        s.instances.map.values().forEach(i -> runtimes.add(i.runtime == null ? "?" : i.runtime));
        out.println("  runtimes: " + list(runtimes));
        int shown = 0;
        for (ServiceInventory.Instance i : s.instances.map.values()) {
            if (shown++ == MAX_RUNS_SHOWN) {
                out.println("  ... and " + (s.instances.map.size() - MAX_RUNS_SHOWN)
                        + " more run(s) (--format json or html lists them all)");
                break;
            }
            out.println("  run: host " + safe(i.host) + " pid " + i.pid + ", " + i.seen.first + " .. " + i.seen.last);
        }
        for (Map.Entry<String, Tally> e : s.legacyPeers.map.entrySet()) {
            out.println("  legacy as client, to " + safe(e.getKey()) + ": " + list(e.getValue().protocols) + " "
                    + e.getValue().count + "x, last " + e.getValue().last);
        }
        for (Map.Entry<String, Tally> e : s.legacyClients.map.entrySet()) {
            out.println("  legacy as server, from " + safe(e.getKey()) + ": " + list(e.getValue().protocols) + " "
                    + e.getValue().count + "x, last " + e.getValue().last);
        }
        for (ServiceInventory.Pin p : s.pins.map.values()) {
            out.println("  pin" + (p.blocking ? " [blocks]" : " [allows legacy]") + ": " + safe(p.api) + " "
                    + list(p.requested) + " at " + safe(Fleet.siteLabel(p.site, null)) + " ("
                    + String.join(",", p.actions) + ") " + p.seen.count + "x");
        }
        for (ServiceInventory.Failure f : s.failures.map.values()) {
            out.println("  failed" + (f.blocking ? " [blocks]" : "") + ": " + safe(f.cause) + ", " + safe(f.side)
                    + (f.side != null && f.side.equals("client") ? " to " : " from ") + safe(f.peer) + ": "
                    + safe(f.message) + (f.pin.known() ? ", pin at " + safe(Fleet.siteLabel(f.pin, f.pinApi)) : "")
                    + " " + f.seen.count + "x");
        }
    }

    private static String list(Collection<String> values) {
        return values == null ? "[]" : safe(values.toString());
    }

    /** Control characters (C0, DEL, C1) and bidi overrides as \\uXXXX. */
    static String safe(String s) {
        if (s == null) {
            return "?";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20
                    || (c >= 0x7f && c <= 0x9f)
                    || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069);
            if (bad && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (bad) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
