/**
 * tlsguard in JMX: the MXBean {@code io.tlsguard:type=Agent} ({@link io.tlsguard.agent.jmx.TlsGuardMXBean}, open
 * types only, so jconsole, JMC and the Prometheus JMX exporter read it without tlsguard's classes), what it reads
 * ({@link io.tlsguard.agent.jmx.AgentMXBeanImpl}: the report's own counters, nothing counted twice), the life cycle's
 * operations it may call ({@link io.tlsguard.agent.jmx.AgentControl}), and when it is registered
 * ({@link io.tlsguard.agent.jmx.JmxRegistration}: only once the platform MBean server exists, never by creating it).
 *
 * <p>May use: {@code hooks} (the running {@code Guard}), {@code report} (its counters) and the JDK's
 * {@code java.management}. Not the life cycle package: that one hands in an {@link io.tlsguard.agent.jmx.AgentControl}.
 */
package io.tlsguard.agent.jmx;
