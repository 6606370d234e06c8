package io.tlsguard.agent;

/** What the attach CLI asks of the agent in a running JVM. Never a user option: see {@link AttachRequest}. */
enum Command {
    /** Start tlsguard, or reconfigure it when it already runs. */
    ATTACH,
    /** Say how tlsguard is doing, change nothing. */
    STATUS,
    /** Give back the original bytecode and stop. */
    DETACH
}
