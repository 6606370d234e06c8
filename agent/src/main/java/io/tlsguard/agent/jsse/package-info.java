/**
 * Reading what the program and JSSE did: JSSE's internal handshake state
 * ({@link io.tlsguard.agent.jsse.JsseInternals}, by reflection into {@code sun.security.ssl}), a
 * handshake turned into an event ({@link io.tlsguard.agent.jsse.HandshakeDetails}), the one place that
 * tells a socket from a server socket from an engine ({@link io.tlsguard.agent.jsse.SslEndpoint}), the
 * handshakes of engines outside the JDK, read through the public API ({@link
 * io.tlsguard.agent.jsse.EngineHandshakes}), the application's call site of a pin
 * ({@link io.tlsguard.agent.jsse.CallSites}), and why a handshake failed
 * ({@link io.tlsguard.agent.jsse.FailureCauses}, on failures only).
 *
 * <p>May use: {@code report} (the events and call sites it fills) and the JDK. Decides nothing.
 */
package io.tlsguard.agent.jsse;
