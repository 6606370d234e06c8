package io.tlsguard.agent;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The system properties that pin protocols for a whole JVM: {@code https.protocols} (HttpsURLConnection),
 * {@code jdk.tls.client.protocols} and {@code jdk.tls.server.protocols} (JSSE's defaults, read once
 * when JSSE starts). Checked at start and again on each {@code SSLContext.getInstance} (which is how
 * JSSE starts), so a property set by the program's main() is seen too. Enforce rewrites a legacy value
 * to the floor before JSSE reads it; where JSSE read it already (dynamic attach), the handshake floor
 * still holds.
 */
final class SystemPropertyPins {
    static final String[] NAMES = {"https.protocols", "jdk.tls.client.protocols", "jdk.tls.server.protocols"};

    private final Guard guard;
    /** The last value seen per property, so each legacy value is reported once. */
    private final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();
    /** The program's own values of the properties enforce rewrote, given back on detach. */
    private final ConcurrentHashMap<String, String> originals = new ConcurrentHashMap<>();

    SystemPropertyPins(Guard guard) {
        this.guard = guard;
    }

    void check() {
        for (String name : NAMES) {
            String value = System.getProperty(name);
            if (value == null || value.equals(seen.get(name))) {
                continue;
            }
            seen.put(name, value);
            String[] requested = split(value);
            ProtocolPolicy policy = guard.policy();
            if (!policy.anyBelowFloor(requested)) {
                continue;
            }
            CallSite site = null; // set on the command line or by code before JSSE started: no call to point at
            String api = "system property " + name;
            if (policy.mode() == Mode.ENFORCE) {
                String[] applied = policy.enforce(requested, null, guard.tls13Available());
                String rewritten = String.join(",", applied);
                seen.put(name, rewritten);
                originals.putIfAbsent(name, value);
                System.setProperty(name, rewritten);
                guard.pin(api, requested, applied, "rewritten", site);
            } else {
                // deny: there is no call to refuse; handshakes below the floor fail instead
                guard.pin(api, requested, requested, policy.mode() == Mode.DENY ? "denied" : "observed", site);
            }
        }
    }

    void restore() {
        for (String name : originals.keySet()) {
            if (System.getProperty(name, "").equals(seen.get(name))) { // unless the program changed it since
                System.setProperty(name, originals.get(name));
            }
        }
        originals.clear();
    }

    private static String[] split(String value) {
        java.util.List<String> protocols = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.trim().isEmpty()) {
                protocols.add(part.trim());
            }
        }
        return protocols.toArray(new String[0]);
    }
}
