package io.tlsguard.agent.jfr;

import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinEvent;
import jdk.jfr.FlightRecorder;

/**
 * Flight Recorder's side, loaded only in a JVM that has {@code jdk.jfr}. Until Flight Recorder is
 * initialized (no recording was ever started: the usual case) each call is one static read and the event
 * classes are not even loaded; they are named only in static calls, which load them on first execution.
 *
 * <p>Nothing thrown here reaches the guard: a pin's decision (enforce, deny) is made before and returned
 * after the event, and must not be lost to a recording. Should Flight Recorder ever fail (an event class
 * that cannot load or register), tlsguard stops recording for the rest of the run; the report goes on.
 */
final class RecordedEvents extends FlightRecorderEvents {
    static {
        FlightRecorderEvents.loaded = new RecordedEvents(); // the probe's handover: see FlightRecorderEvents.loaded
    }

    private volatile boolean failed;

    private RecordedEvents() {}

    @Override
    public boolean pinsRecorded() {
        try {
            return !failed && FlightRecorder.isInitialized() && ProtocolPinJfrEvent.enabled();
        } catch (Throwable t) {
            failed = true;
            return false;
        }
    }

    @Override
    public void pin(PinEvent pin) {
        if (failed || !FlightRecorder.isInitialized()) {
            return;
        }
        try {
            ProtocolPinJfrEvent.commit(pin);
        } catch (Throwable t) {
            failed = true;
        }
    }

    @Override
    public void handshake(HandshakeEvent handshake) {
        if (failed || !FlightRecorder.isInitialized()) {
            return;
        }
        try {
            HandshakeJfrEvent.commit(handshake);
        } catch (Throwable t) {
            failed = true;
        }
    }
}
