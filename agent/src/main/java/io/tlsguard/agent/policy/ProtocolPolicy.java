package io.tlsguard.agent.policy;

import io.tlsguard.contract.Mode;
import io.tlsguard.contract.Rewrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor and what it means for protocol names. Pure functions of (mode, floor): no JSSE, no state.
 *
 * <p>Protocols are ranked so that "below the floor" is one comparison. Names this class does not know
 * (a provider's private protocol, say) are never touched.
 */
public final class ProtocolPolicy {
    public static final String TLS12 = "TLSv1.2";
    public static final String TLS13 = "TLSv1.3";

    private final Mode mode;
    private final String floor;
    private final int floorRank;
    private final Rewrite rewrite;

    /** Enforce rewrites a legacy-only pin to the floor itself ({@link Rewrite#FLOOR}). */
    public ProtocolPolicy(Mode mode, String floor) {
        this(mode, floor, Rewrite.FLOOR);
    }

    public ProtocolPolicy(Mode mode, String floor, Rewrite rewrite) {
        this.mode = mode;
        this.floor = floor;
        this.floorRank = rank(floor);
        this.rewrite = rewrite;
    }

    public Rewrite rewrite() {
        return rewrite;
    }

    public Mode mode() {
        return mode;
    }

    public String floor() {
        return floor;
    }

    /** What this policy does with anything below the floor: the one place a mode becomes an action. */
    public Action action() {
        switch (mode) {
            case ENFORCE:
                return Action.REWRITTEN;
            case DENY:
                return Action.DENIED;
            default:
                return Action.OBSERVED;
        }
    }

    /**
     * The decision on a protocol list below the floor (a setter, {@code SSLParameters}, a system
     * property): observed as requested, rewritten by {@link #enforce}, or denied (nothing applies).
     */
    public Decision decide(String[] requested, String[] supported, boolean tls13Available) {
        switch (action()) {
            case REWRITTEN:
                return new Decision(Action.REWRITTEN, enforce(requested, supported, tls13Available));
            case DENIED:
                return new Decision(Action.DENIED, new String[0]);
            default:
                return new Decision(Action.OBSERVED, requested);
        }
    }

    /**
     * The decision on {@code SSLContext.getInstance(protocol)} below the floor: as {@link #decide}, except
     * that a context is rewritten to the floor's own name ({@link #enforceContext}).
     */
    public Decision decideContext(String protocol) {
        if (action() == Action.REWRITTEN) {
            return new Decision(Action.REWRITTEN, new String[] {enforceContext()});
        }
        return decide(new String[] {protocol}, null, false);
    }

    /**
     * Rank of a standard (JSSE) protocol name, case-insensitive; -1 for names tlsguard does not know.
     * Called on every protocol setter (JSSE's own getters included): the usual spellings are answered
     * without upper-casing (an allocation) first.
     */
    public static int rank(String protocol) {
        switch (protocol) {
            case "TLSv1.3":
                return 5;
            case "TLSv1.2":
                return 4;
            case "TLSv1.1":
                return 3;
            case "TLSv1":
                return 2;
            default:
                return rankIgnoringCase(protocol);
        }
    }

    private static int rankIgnoringCase(String protocol) {
        switch (protocol.toUpperCase(Locale.ROOT)) {
            case "SSLV2HELLO":
                return 0;
            case "SSL":
            case "SSLV3":
                return 1;
            case "TLSV1":
            case "DTLSV1.0":
                return 2;
            case "TLSV1.1":
                return 3;
            case "TLSV1.2":
            case "DTLSV1.2":
                return 4;
            case "TLSV1.3":
                return 5;
            default:
                return -1;
        }
    }

    /** Rank of a {@code sun.security.ssl.ProtocolVersion} constant name (TLS12, SSL30...). */
    public static int rankOfConstant(String constant) {
        switch (constant) {
            case "SSL20Hello":
                return 0;
            case "SSL30":
                return 1;
            case "TLS10":
                return 2;
            case "TLS11":
            case "DTLS10":
                return 3;
            case "TLS12":
            case "DTLS12":
                return 4;
            case "TLS13":
                return 5;
            default:
                return -1;
        }
    }

    public boolean belowFloor(String protocol) {
        int rank = protocol == null ? -1 : rank(protocol);
        return rank >= 0 && rank < floorRank;
    }

    public boolean constantBelowFloor(String constant) {
        int rank = rankOfConstant(constant);
        return rank >= 0 && rank < floorRank;
    }

    public boolean anyBelowFloor(String[] protocols) {
        for (String p : protocols) {
            if (belowFloor(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The enforce rewrite of a protocol list: drop what is below the floor (SSLv2Hello included); if
     * nothing is left, the floor itself ({@link Rewrite#FLOOR}), or the floor and every supported version
     * above it ({@link Rewrite#FLOOR_AND_ABOVE}, so TLS 1.3 is offered too).
     *
     * @param supported what the socket or engine supports, or null when unknown (then the floor and
     *                  TLSv1.3 when {@code tls13Available})
     */
    public String[] enforce(String[] requested, String[] supported, boolean tls13Available) {
        List<String> kept = new ArrayList<>();
        for (String p : requested) {
            if (!belowFloor(p)) {
                kept.add(p);
            }
        }
        if (kept.isEmpty() && rewrite == Rewrite.FLOOR_AND_ABOVE) {
            if (supported != null) {
                for (String p : supported) {
                    if (rank(p) >= floorRank && !p.startsWith("DTLS")) {
                        kept.add(p);
                    }
                }
            } else {
                if (tls13Available && floorRank <= rank(TLS13)) {
                    kept.add(TLS13);
                }
                if (floorRank <= rank(TLS12)) {
                    kept.add(TLS12);
                }
            }
        }
        if (kept.isEmpty()) {
            kept.add(floor);
        }
        return kept.toArray(new String[0]);
    }

    /** The enforce rewrite of an {@code SSLContext.getInstance} name below the floor: the floor's name. */
    public String enforceContext() {
        return floor;
    }
}
