package io.tlsguard.agent.policy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The system properties that pin protocols for a whole JVM: {@code https.protocols} (HttpsURLConnection),
 * {@code jdk.tls.client.protocols} and {@code jdk.tls.server.protocols} (JSSE's defaults, read once
 * when JSSE starts). Checked at start and again on each {@code SSLContext.getInstance} (which is how
 * JSSE starts), so a property set by the program's main() is seen too. Enforce rewrites a legacy value
 * to the floor before JSSE reads it; where JSSE read it already (dynamic attach), the handshake floor
 * still holds.
 */
public final class SystemPropertyPins {
    static final String[] NAMES = {"https.protocols", "jdk.tls.client.protocols", "jdk.tls.server.protocols"};

    /** Where a legacy value is reported: there is no call site, the property was set before JSSE read it. */
    public interface Findings {
        void pin(String api, String[] requested, String[] applied, Action action);
    }

    private final Findings findings;
    /** The last value seen per property, so each legacy value is reported once. */
    private final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();
    /** The program's own values of the properties enforce rewrote, given back on detach. */
    private final ConcurrentHashMap<String, String> originals = new ConcurrentHashMap<>();

    public SystemPropertyPins(Findings findings) {
        this.findings = findings;
    }

    /** Reports (and in enforce, rewrites) each legacy value not seen yet, under the policy in force now. */
    public void check(ProtocolPolicy policy, boolean tls13Available) {
        for (String name : NAMES) {
            String value = System.getProperty(name);
            if (value == null || value.equals(seen.get(name))) {
                continue;
            }
            seen.put(name, value);
            String[] requested = split(value);
            if (!policy.anyBelowFloor(requested)) {
                continue;
            }
            String api = "system property " + name;
            Decision decision = policy.decide(requested, null, tls13Available);
            if (decision.action() == Action.REWRITTEN) {
                String rewritten = String.join(",", decision.applied());
                seen.put(name, rewritten);
                originals.putIfAbsent(name, value);
                System.setProperty(name, rewritten);
                findings.pin(api, requested, decision.applied(), Action.REWRITTEN);
            } else {
                // deny: there is no call to refuse (the value stays, as requested); handshakes below the floor fail
                // instead
                findings.pin(api, requested, requested, decision.action());
            }
        }
    }

    /** On detach: the properties enforce rewrote get the program's values back. */
    public void restore() {
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
