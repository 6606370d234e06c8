package io.tlsguard.compat;

/** How tlsguard runs in a cell: not at all, or with -javaagent:tlsguard.jar=mode=report|enforce. */
public enum Mode {
    NONE("no agent"),
    REPORT("report"),
    ENFORCE("enforce");

    /** The column heading's words in docs/compatibility.md. */
    final String heading;

    Mode(String heading) {
        this.heading = heading;
    }

    /** The agent's option value (and the cell name's part): none, report, enforce. */
    public String option() {
        return name().toLowerCase();
    }

    @Override
    public String toString() {
        return option();
    }
}
