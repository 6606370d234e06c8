package io.tlsguard.contract;

/**
 * The keys of the agent's one-line JSON reply to the attach CLI, in the order the agent writes them. One style,
 * that of the report's attributes (OpenTelemetry-like): {@code tlsguard.} then lowercase segments joined by '.',
 * words in a segment joined by '_'; no key is the prefix of another. {@link #VERSION}, {@link #MODE},
 * {@link #MIN}, {@link #REWRITE} and {@link #REPORT} also name the system properties the agent publishes in its JVM, which the CLI
 * reads before it loads anything there.
 */
public enum ReplyKey {
    /** true, or false with {@link #ERROR}. */
    OK("tlsguard.ok"),
    /** Why not: one line. */
    ERROR("tlsguard.error"),
    VERSION("tlsguard.version"),
    MODE("tlsguard.mode"),
    MIN("tlsguard.min"),
    REWRITE("tlsguard.rewrite"),
    REPORT("tlsguard.report"),
    /** An object: handshakes by protocol version ("1", "1.2"...). */
    HANDSHAKES_BY_VERSION("tlsguard.handshakes.by_version"),
    HANDSHAKES_FAILED("tlsguard.handshakes.failed"),
    PINS("tlsguard.pins"),
    EVENTS_WRITTEN("tlsguard.events.written"),
    EVENTS_DROPPED("tlsguard.events.dropped"),
    HOOK_ERRORS("tlsguard.hooks.errors"),
    /** The transform cache's directory, or "off". */
    TRANSFORM_CACHE_LOCATION("tlsguard.transform_cache.location"),
    TRANSFORM_CACHE_HITS("tlsguard.transform_cache.hits"),
    /** The OTLP logs endpoint events are exported to (without credentials), or "off". */
    OTLP_ENDPOINT("tlsguard.otlp.endpoint"),
    /** Log records the collector accepted. */
    OTLP_EXPORTED("tlsguard.otlp.exported"),
    /** Log records that could not be exported (queue full, collector down, refused, too slow at exit). */
    OTLP_DROPPED("tlsguard.otlp.dropped"),
    /** true in the reply to {@link Command#DETACH} when tlsguard was running and is gone. */
    DETACHED("tlsguard.detached");

    private final String key;

    ReplyKey(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
