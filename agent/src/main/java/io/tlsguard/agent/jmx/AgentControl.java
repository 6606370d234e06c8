package io.tlsguard.agent.jmx;

import io.tlsguard.agent.hooks.Guard;

/** The life cycle's side of the MBean: what it reads and the operations it may call (all synchronized there). */
public interface AgentControl {
    /** The running guard, or null when tlsguard was detached. */
    Guard guard();

    String version();

    long hookErrors();

    /** The status reply, one line of JSON. */
    String status();

    /** Reconfigures (or starts again) with user options; the status reply, or a failure reply. */
    String reconfigure(String options);

    /** Detaches; the detach reply. */
    String detach();

    /** The failure reply saying why an operation was refused. */
    String refusal(String why);
}
