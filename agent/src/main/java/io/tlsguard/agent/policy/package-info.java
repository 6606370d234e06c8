/**
 * The protocol policy: the {@link io.tlsguard.agent.policy.Mode} and floor, what is below it and what
 * enforce rewrites a pin to ({@link io.tlsguard.agent.policy.ProtocolPolicy}), and the system properties
 * that pin protocols for a whole JVM ({@link io.tlsguard.agent.policy.SystemPropertyPins}, which tells a
 * caller-supplied sink what it found).
 *
 * <p>May use: the JDK only. Pure decisions, no I/O, no reflection into JSSE.
 */
package io.tlsguard.agent.policy;
