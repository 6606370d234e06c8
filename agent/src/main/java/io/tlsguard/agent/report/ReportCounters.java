package io.tlsguard.agent.report;

/**
 * How many events the report writer wrote and dropped, at one moment: what status reports, and what
 * the benchmarks read through the installed handler's public {@code counters()} instead of reaching
 * into tlsguard's fields.
 */
public final class ReportCounters {
    private final long written;
    private final long dropped;

    ReportCounters(long written, long dropped) {
        this.written = written;
        this.dropped = dropped;
    }

    public long written() {
        return written;
    }

    public long dropped() {
        return dropped;
    }
}
