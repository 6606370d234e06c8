package io.tlsguard.agent.jfr;

import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinEvent;
import jdk.jfr.FlightRecorder;

/**
 * Flight Recorder's side, loaded only in a JVM that has {@code jdk.jfr}. Until Flight Recorder is
 * initialized (no recording was ever started: the usual case) each call is one static read and the event
 * classes are not even loaded; they are named only in static calls, which load them on first execution.
 */
final class RecordedEvents extends FlightRecorderEvents {
    @Override
    public boolean pinsRecorded() {
        return FlightRecorder.isInitialized() && ProtocolPinJfrEvent.enabled();
    }

    @Override
    public void pin(PinEvent pin) {
        if (FlightRecorder.isInitialized()) {
            ProtocolPinJfrEvent.commit(pin);
        }
    }

    @Override
    public void handshake(HandshakeEvent handshake) {
        if (FlightRecorder.isInitialized()) {
            HandshakeJfrEvent.commit(handshake);
        }
    }
}
