package io.tlsguard.bootstrap;

/**
 * What the agent does when a hook fires. Implemented by the agent (class path); called through
 * {@link TlsGuardHooks} from advice inlined into JDK classes. No method may throw or block on I/O.
 *
 * <p>Decisions are returned, not thrown, so that the advice stays trivial: a replacement value, a
 * {@link Throwable} the hooked method must throw instead of running (deny mode), or {@code null} for
 * "leave the call alone".
 */
public interface HookHandler {

    /** {@code SSLContext.getInstance(protocol, ...)}: a replacement protocol name, a NoSuchAlgorithmException, or null. */
    Object contextProtocol(String protocol);

    /** {@code setEnabledProtocols}/{@code setProtocols} on {@code target}: a replacement array, an exception, or null. */
    Object protocols(Object target, String[] protocols, String method);

    /**
     * {@code setSSLParameters(parameters)} on a socket, server socket or engine: an exception, the
     * protocols to apply to {@code target} once the call is done, or null.
     */
    Object parameters(Object target, Object parameters);

    /** Applies protocols decided by {@link #parameters} to the socket, server socket or engine. */
    void applyProtocols(Object target, String[] protocols);

    /**
     * {@code SSLContext.getInstance} returned {@code context} (null: it threw, or deny refused it): a legacy
     * one is remembered as pinned.
     */
    void contextCreated(Object context);

    /** A server socket accepted {@code socket}: it inherits the server socket's configuration. */
    void accepted(Object serverSocket, Object socket);

    /** JSSE is about to compute the protocols of a handshake on {@code transportContext}. */
    void handshakeStarting(Object transportContext);

    /** A handshake on {@code transportContext} completed. */
    void handshakeFinished(Object transportContext);

    /** JSSE is failing {@code transportContext} with a fatal alert. */
    void fatal(Object transportContext, Object alert, String diagnostic, Throwable cause);

    /** The program closes {@code transportContext}'s outbound side (a handshake under way is abandoned). */
    void closingOutbound(Object transportContext);

    /** A provider's socket or engine (Bouncy Castle's) is starting a handshake: the floor, before it runs. */
    void providerHandshakeStarting(Object endpoint);

    /** A provider's handshake start on {@code endpoint} threw {@code thrown}: a failed handshake. */
    void providerHandshakeFailed(Object endpoint, Throwable thrown);

    /** A provider's socket or engine completed a handshake. */
    void providerHandshakeFinished(Object endpoint);

    /** A library's protocol version list is being made (OkHttp's ConnectionSpec): a replacement array, or null. */
    Object libraryProtocols(String[] protocols);

    /** A library refused {@code socket} before any handshake (OkHttp: no protocol in common). */
    void libraryRefused(Object socket, Throwable thrown);

    /**
     * {@code wrap}/{@code unwrap} of an engine outside the JDK returned {@code result} (an
     * {@code SSLEngineResult}) or threw {@code thrown}: a handshake may have completed or failed.
     */
    void engineResult(Object engine, Object result, Throwable thrown);

    /**
     * Not a hook: the report's counters now, {@code {written, dropped}}, in a new array; null when no
     * report is written. Read through {@link TlsGuardHooks#reportCounters}.
     */
    long[] reportCounters();
}
