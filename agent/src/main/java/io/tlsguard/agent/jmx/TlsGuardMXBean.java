package io.tlsguard.agent.jmx;

/**
 * What {@code io.tlsguard:type=Agent} shows: open types only (String, long, int), one long attribute per side and
 * protocol version, so that every JMX client and the Prometheus JMX exporter read it as plain numbers. Counters
 * count since tlsguard started in this JVM (a reconfiguration keeps them); when tlsguard was detached the mode is
 * {@code detached} and the counters are 0.
 */
public interface TlsGuardMXBean {
    /** report, enforce, deny; or detached. */
    String getMode();

    /** The floor: TLSv1.2 or TLSv1.3. */
    String getFloor();

    /** What enforce makes of a legacy-only pin: floor or floor-and-above. */
    String getRewrite();

    /** Where the report goes: a file, stderr or /dev/null. */
    String getReportTarget();

    /** tlsguard's version. */
    String getVersion();

    long getClientHandshakesSSLv3();

    long getClientHandshakesTLSv1();

    long getClientHandshakesTLSv1_1();

    long getClientHandshakesTLSv1_2();

    long getClientHandshakesTLSv1_3();

    long getServerHandshakesSSLv3();

    long getServerHandshakesTLSv1();

    long getServerHandshakesTLSv1_1();

    long getServerHandshakesTLSv1_2();

    long getServerHandshakesTLSv1_3();

    /** Handshakes that failed, both sides, whatever the protocol. */
    long getHandshakeFailures();

    /** Calls that pinned a protocol below the floor. */
    long getPins();

    /** Distinct peers of completed handshakes below TLS 1.2 (bounded like the summary: 2,000 keys). */
    int getDistinctLegacyPeers();

    /** Distinct call sites that pinned a protocol below the floor (bounded: 2,000). */
    int getDistinctLegacyCallSites();

    /** Epoch milliseconds of the last completed handshake below TLS 1.2; 0 when there was none. */
    long getLastLegacyHandshakeTime();

    /** Report events written. */
    long getEventsWritten();

    /** Report events that could not be written (queue full, disk full, exiting). */
    long getEventsDropped();

    /** Throwables a hook caught and swallowed so the host went on. */
    long getHookErrors();

    /** The attach CLI's status reply: one line of JSON (keys: the contract's ReplyKey). */
    String status();

    /**
     * Reconfigures tlsguard with the options of {@code -javaagent} (e.g. {@code mode=enforce}); options not given
     * take their defaults, as for {@code -javaagent}. Starts tlsguard again when it was detached. Answers JMX clients
     * only (a JMX connector's remote call), never code inside this JVM.
     *
     * @return the status reply after the change, or {"tlsguard.ok":false,"tlsguard.error":...} when nothing changed
     */
    String reconfigure(String options);

    /**
     * Detaches tlsguard: the original bytecode back, reporting stopped. JMX clients only, like {@link #reconfigure}.
     *
     * @return {"tlsguard.ok":true,"tlsguard.detached":true}, or a refusal
     */
    String detach();
}
