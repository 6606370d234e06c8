package io.tlsguard.compat;

import java.util.List;

/** What a cell must do. */
public enum Expect {
    /** works, any protocol */
    OK,
    /** works, and negotiates (clients) / accepts (servers) TLSv1 or TLSv1.1 */
    OK_LEGACY,
    /** works, and only TLSv1.2/TLSv1.3 are negotiated / accepted */
    OK_MODERN,
    /** must not work */
    FAIL,
    /** runs, not asserted */
    ANY,
    /** not run */
    SKIP;

    /** Whether a cell that {@code worked} with {@code protocols} meets this expectation (ANY and SKIP: always). */
    public boolean metBy(boolean worked, List<String> protocols) {
        return switch (this) {
            case OK -> worked;
            case OK_LEGACY -> worked && protocols.stream().anyMatch(Expect::isLegacy);
            case OK_MODERN -> worked && protocols.stream().noneMatch(Expect::isLegacy);
            case FAIL -> !worked;
            case ANY, SKIP -> true;
        };
    }

    static boolean isLegacy(String protocol) {
        return List.of("SSLv3", "TLSv1", "TLSv1.1").contains(protocol);
    }

    /** As docs/compatibility.md writes it: OK, OK:legacy, OK:modern, FAIL, ANY, SKIP. */
    @Override
    public String toString() {
        return name().replace("_", ":").replace("LEGACY", "legacy").replace("MODERN", "modern");
    }
}
