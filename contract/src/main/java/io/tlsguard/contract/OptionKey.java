package io.tlsguard.contract;

/**
 * The keys a user may give, in {@code -javaagent:tlsguard.jar=OPTIONS} and through the attach CLI's flags, in
 * the order the usage line shows them. Nothing else is an option: the CLI's command and reply file are
 * {@link AttachRequest}'s, out of a user's reach.
 */
public enum OptionKey {
    MODE("mode", "report|enforce|deny"),
    MIN("min", "TLSv1.2|TLSv1.3"),
    /** What enforce makes of a pin of legacy protocols only: see {@link Rewrite}. */
    REWRITE("rewrite", "floor|floor-and-above"),
    REPORT("report", "PATH|stderr|none"),
    CACHE("cache", "DIR|off"),
    /** The service.name every report line carries (else OTEL_SERVICE_NAME, ..., the main class or jar). */
    SERVICE("service", "NAME"),
    /** Also send every event to an OpenTelemetry collector: OTLP/HTTP JSON to URL/v1/logs (see docs/otlp.md). */
    OTLP("otlp", "URL|env");

    private final String key;
    private final String accepted;

    OptionKey(String key, String accepted) {
        this.key = key;
        this.accepted = accepted;
    }

    /** The key as written before '='. */
    public String key() {
        return key;
    }

    /** What it takes, for a usage line: {@code report|enforce|deny}. */
    public String accepted() {
        return accepted;
    }

    /** The option {@code key} names (exactly, as written), or null: an unknown option. */
    static OptionKey fromKey(String key) {
        for (OptionKey k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
