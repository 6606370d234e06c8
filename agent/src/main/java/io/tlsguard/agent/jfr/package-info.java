/**
 * tlsguard in JDK Flight Recorder: the events {@code tlsguard.ProtocolPin} and {@code tlsguard.Handshake},
 * committed on the hooked thread (so a recording shows the host's thread and stack) from the
 * {@link io.tlsguard.agent.report.PinEvent} and {@link io.tlsguard.agent.report.HandshakeEvent} the report
 * already builds.
 *
 * <p>A JVM may have no {@code jdk.jfr} (a JDK 8 build without it, {@code --limit-modules}): only
 * {@link io.tlsguard.agent.jfr.FlightRecorderEvents} (Java 8 API alone, in {@code src/main/java}) is loaded
 * until one probe found {@code jdk.jfr}; the classes that name {@code jdk.jfr} types ({@code RecordedEvents},
 * {@code ProtocolPinJfrEvent}, {@code HandshakeJfrEvent}) live in {@code src/main/jfr}, compiled by their
 * own compiler execution as Java 8 bytecode against the build JDK's {@code jdk.jfr} (release 8 has none).
 * The event classes themselves are loaded only once Flight Recorder is initialized (a recording was
 * started), so a JVM that never records loads none of them.
 *
 * <p>May use: {@code report} and {@code jdk.jfr} (through the probe only). Used by {@code hooks}.
 */
package io.tlsguard.agent.jfr;
