package io.tlsguard.agent.jfr;

import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinEvent;

/**
 * Where the guard hands its events to Flight Recorder. Plain Java 8: this class names no {@code jdk.jfr}
 * type, so it loads in any JVM; {@link #get()} probes once whether the JVM has {@code jdk.jfr} and only
 * then loads the implementation that does ({@code RecordedEvents}). Without it every call does nothing.
 * Called on hooked threads, already inside the guard's suppress/Throwable discipline; an implementation
 * never throws anyway.
 */
public abstract class FlightRecorderEvents {
    static final String IMPLEMENTATION = "io.tlsguard.agent.jfr.RecordedEvents";

    /** A JVM without Flight Recorder. */
    static final FlightRecorderEvents NONE = new FlightRecorderEvents() {
        @Override
        public boolean pinsRecorded() {
            return false;
        }

        @Override
        public void pin(PinEvent pin) {}

        @Override
        public void handshake(HandshakeEvent handshake) {}
    };

    /** The probe runs on first use (the first pin or handshake), not at the agent's start. */
    private static final class Probed {
        static final FlightRecorderEvents INSTANCE = probe(FlightRecorderEvents.class.getClassLoader());
    }

    /** The events of this JVM: Flight Recorder's, or {@link #NONE} when it has no {@code jdk.jfr}. */
    public static FlightRecorderEvents get() {
        return Probed.INSTANCE;
    }

    /**
     * Set by {@code RecordedEvents}' static initializer: the implementation hands itself over when the probe
     * loads it, so no reflection runs (its first use costs milliseconds on JDK 18+, on the host's thread).
     */
    static volatile FlightRecorderEvents loaded;

    /**
     * Looks for {@code jdk.jfr.FlightRecorder} without initializing it (the agent's loader asks the platform
     * loader, which sees {@code jdk.jfr} only when the JVM has it); only when it is there is the class that
     * names JFR types loaded.
     */
    static FlightRecorderEvents probe(ClassLoader loader) {
        try {
            Class.forName("jdk.jfr.FlightRecorder", false, loader);
        } catch (ClassNotFoundException | LinkageError noJfr) {
            return NONE;
        }
        try {
            Class.forName(IMPLEMENTATION, true, loader);
        } catch (ClassNotFoundException | LinkageError unusable) { // a JFR too old or cut down for these events
            return NONE;
        }
        FlightRecorderEvents events = loaded;
        return events != null ? events : NONE;
    }

    /**
     * Whether a recording would take a pin event now: the guard builds a {@link PinEvent} for Flight Recorder
     * (beyond the report's cap of events per call site) only then. Cheap: a static read while nothing records.
     */
    public abstract boolean pinsRecorded();

    /** Commits {@code pin} to the running recordings that enable {@code tlsguard.ProtocolPin}, on this thread. */
    public abstract void pin(PinEvent pin);

    /** Commits {@code handshake} to the running recordings that enable {@code tlsguard.Handshake}, on this thread. */
    public abstract void handshake(HandshakeEvent handshake);
}
