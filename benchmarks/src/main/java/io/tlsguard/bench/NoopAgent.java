package io.tlsguard.bench;

import java.lang.instrument.Instrumentation;

/** The attach baseline: loading an agent that does nothing measures the attach mechanism alone. */
public final class NoopAgent {
    public static void agentmain(String options, Instrumentation inst) {
        // nothing: the figure is the attach machinery's own cost
    }
}
