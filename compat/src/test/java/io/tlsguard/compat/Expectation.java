package io.tlsguard.compat;

/**
 * What the cells it matches must do, and why. A null criterion matches every cell ("*" in docs/compatibility.md).
 *
 * @param app an {@link App#id()}, or null
 * @param jdk a JDK's feature release (8, 11...), or null
 * @param note the few words the matrix's notes column shows
 * @param reason why: the expectations table's last column
 */
public record Expectation(
        String app, Integer jdk, Mode mode, Security security, Expect expect, String note, String reason) {
    public boolean matches(Cell cell) {
        return (app == null || app.equals(cell.app().id()))
                && (jdk == null || jdk == cell.jdk().feature())
                && (mode == null || mode == cell.mode())
                && (security == null || security == cell.security());
    }

    static String any(Object criterion) {
        return criterion == null ? "*" : criterion.toString();
    }
}
