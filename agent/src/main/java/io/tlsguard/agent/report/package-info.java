/**
 * The report: its events ({@link io.tlsguard.agent.report.PinEvent},
 * {@link io.tlsguard.agent.report.HandshakeEvent}, the {@link io.tlsguard.agent.report.Summary}), each with
 * the JVM's identity ({@link io.tlsguard.agent.report.Resource}) and a {@link io.tlsguard.agent.report.Severity}, the
 * {@link io.tlsguard.agent.report.CallSite} a pin points at, and the asynchronous, bounded
 * {@link io.tlsguard.agent.report.ReportWriter} that writes them as JSON lines where
 * {@link io.tlsguard.agent.report.ReportLocation} says.
 *
 * <p>May use: {@code files}, the {@code policy} values it writes ({@code Action}), shaded Jackson and
 * the JDK. Nothing above it.
 */
package io.tlsguard.agent.report;
