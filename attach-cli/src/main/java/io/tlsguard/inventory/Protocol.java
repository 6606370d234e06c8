package io.tlsguard.inventory;

import java.util.List;

/** Orders TLS versions, as JSSE names them (TLSv1.2) and as the report's tls.protocol.version says them (1.2). */
final class Protocol {
    /** SSLv2Hello is a hello format, not a version: below everything. Unknown names rank above everything known. */
    static final int UNKNOWN = Integer.MAX_VALUE;

    private Protocol() {}

    /** The rank of a JSSE protocol name: SSLv3 1, TLSv1 2, TLSv1.1 3, TLSv1.2 4, TLSv1.3 5. */
    static int rankOfName(String jsse) {
        if (jsse == null) {
            return UNKNOWN;
        }
        switch (jsse) {
            case "SSLv2Hello":
                return 0;
            case "SSLv3":
                return 1;
            case "TLSv1":
                return 2;
            case "TLSv1.1":
                return 3;
            case "TLSv1.2":
                return 4;
            case "TLSv1.3":
                return 5;
            default:
                return UNKNOWN;
        }
    }

    /** The JSSE name of a negotiated version: tls.protocol.name "ssl"/"tls" and tls.protocol.version "3", "1.2"... */
    static String nameOf(String protocolName, String version) {
        if (version == null) {
            return null;
        }
        if ("ssl".equalsIgnoreCase(protocolName) || "3".equals(version)) {
            return "SSLv" + version;
        }
        return "TLSv" + version;
    }

    static boolean below(String jsse, String floor) {
        int r = rankOfName(jsse);
        return r != UNKNOWN && r < rankOfName(floor);
    }

    /** True when the list is not empty and every protocol in it is below the floor: nothing left at or above it. */
    static boolean allBelow(List<String> protocols, String floor) {
        if (protocols == null || protocols.isEmpty()) {
            return false;
        }
        for (String p : protocols) {
            if (!below(p, floor)) {
                return false;
            }
        }
        return true;
    }

    static boolean anyBelow(List<String> protocols, String floor) {
        if (protocols == null) {
            return false;
        }
        for (String p : protocols) {
            if (below(p, floor)) {
                return true;
            }
        }
        return false;
    }
}
