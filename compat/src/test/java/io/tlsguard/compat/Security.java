package io.tlsguard.compat;

/** The JVM's security configuration in a cell. */
public enum Security {
    /** The JDK's own java.security: TLSv1 and TLSv1.1 disabled on every JDK of the matrix. */
    DEFAULT,
    /** -Djava.security.properties= a file that re-allows TLSv1/TLSv1.1 (test-support's LegacySecurity), as legacy fleets do. */
    LEGACY;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
