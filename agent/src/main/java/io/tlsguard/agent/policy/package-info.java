/**
 * The protocol policy: the {@link io.tlsguard.contract.Mode} and floor, what is below it, and the
 * one decision every hook takes on a pin below it ({@link io.tlsguard.agent.policy.ProtocolPolicy#decide}:
 * a {@link io.tlsguard.agent.policy.Decision}, whose {@link io.tlsguard.agent.policy.Action} the report
 * writes), and the system properties that pin protocols for a whole JVM
 * ({@link io.tlsguard.agent.policy.SystemPropertyPins}, which tells a caller-supplied sink what it found).
 *
 * <p>May use: the JDK only. Pure decisions, no I/O, no reflection into JSSE.
 */
package io.tlsguard.agent.policy;
