package io.tlsguard.agent.report;

/**
 * Which pin configured a socket, engine, context or parameters object: what a failed handshake on it
 * names as the pin behind its protocol list. Made only on the (rare) legacy-pin path.
 */
public final class PinOrigin {
    /** e.g. SSLEngine.setEnabledProtocols. */
    public final String api;
    /** The protocols the program asked for. */
    public final String[] requested;
    /** Where; null for a system property. */
    public final CallSite site;

    public PinOrigin(String api, String[] requested, CallSite site) {
        this.api = api;
        this.requested = requested;
        this.site = site;
    }
}
