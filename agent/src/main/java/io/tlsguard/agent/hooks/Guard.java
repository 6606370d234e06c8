package io.tlsguard.agent.hooks;

import io.tlsguard.agent.jfr.FlightRecorderEvents;
import io.tlsguard.agent.jsse.CallSites;
import io.tlsguard.agent.jsse.EngineHandshakes;
import io.tlsguard.agent.jsse.FailureCauses;
import io.tlsguard.agent.jsse.HandshakeDetails;
import io.tlsguard.agent.jsse.JsseInternals;
import io.tlsguard.agent.jsse.SslEndpoint;
import io.tlsguard.agent.policy.Action;
import io.tlsguard.agent.policy.Decision;
import io.tlsguard.agent.policy.ProtocolPolicy;
import io.tlsguard.agent.policy.SystemPropertyPins;
import io.tlsguard.agent.report.CallSite;
import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinEvent;
import io.tlsguard.agent.report.PinOrigin;
import io.tlsguard.agent.report.ReportWriter;
import io.tlsguard.agent.report.Summary;
import io.tlsguard.bootstrap.HookHandler;
import io.tlsguard.contract.Rewrite;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;

/**
 * The agent's side of every hook: applies the {@link ProtocolPolicy}, records pins with their call site,
 * and turns handshakes into events: for the report (enqueued) and for Flight Recorder (committed here, on the
 * host's thread, only while a recording takes them). Runs on the host's threads, so it only computes and enqueues.
 */
public final class Guard implements HookHandler {
    /** Pin events written per call site; later pins there are only counted (see the summary). */
    static final int PIN_EVENTS_PER_SITE = 10;

    private volatile ProtocolPolicy policy;
    private volatile ReportWriter writer;
    private final Summary summary = new Summary();
    private final HandshakeDetails details = new HandshakeDetails();
    private final EngineHandshakes engineHandshakes = new EngineHandshakes();
    /** System properties set before JSSE read them: no call site to point at. */
    private final SystemPropertyPins properties = new SystemPropertyPins(new SystemPropertyPins.Findings() {
        @Override
        public void pin(
                String api, String[] requested, String[] applied, Action action) { // not a lambda: see ReportWriter
            Guard.this.pin(api, requested, applied, action, null);
        }
    });
    /**
     * Sockets, server sockets and engines whose protocols tlsguard rewrote (weak: never keeps a
     * connection alive), so each handshake can say whether tlsguard changed its protocols.
     */
    private final WeakMarks<Boolean> rewritten = new WeakMarks<>();
    /** Handshakes and pins outside sun.security.ssl: a provider's (Bouncy Castle), a library's (OkHttp). */
    private final OutsideJsse outside = new OutsideJsse(this, details);

    /**
     * Which pin configured which socket, server socket, engine, parameters object or context (weak, like
     * {@link #rewritten}): a failed handshake names the pin behind its protocols. Filled on the legacy-pin
     * path only, read only when a handshake fails.
     */
    private final WeakMarks<PinOrigin> pinnedBy = new WeakMarks<>();
    /** A context pin between SSLContext.getInstance's entry and its exit, where the new context is known. */
    private final ThreadLocal<PinOrigin> contextPin = new ThreadLocal<>();
    /** Set by the first legacy context pin: until then a getInstance exit does not even touch the thread-local. */
    private volatile boolean contextPinned;

    public Guard(ProtocolPolicy policy, ReportWriter writer) {
        this.policy = policy;
        this.writer = writer;
    }

    public ProtocolPolicy policy() {
        return policy;
    }

    public ReportWriter writer() {
        return writer;
    }

    @Override
    public long[] reportCounters() {
        ReportWriter w = writer;
        return w == null ? null : new long[] {w.written(), w.dropped()};
    }

    public Summary summary() {
        return summary;
    }

    /** Reconfiguration by a later attach: the new policy holds for every call from now on. */
    public void reconfigure(ProtocolPolicy newPolicy, ReportWriter newWriter) {
        this.policy = newPolicy;
        this.writer = newWriter;
        properties.check(policy, details.tls13Available());
    }

    public void checkSystemProperties() {
        properties.check(policy, details.tls13Available());
    }

    /** On detach: system properties tlsguard rewrote get their values back. */
    public void restoreSystemProperties() {
        properties.restore();
    }

    // --- pins ---

    @Override
    public Object contextProtocol(String protocol) {
        properties.check(policy, details.tls13Available());
        ProtocolPolicy p = policy;
        if (!p.belowFloor(protocol)) {
            return null;
        }
        String[] requested = {protocol};
        Decision decision = p.decideContext(protocol);
        CallSite site = CallSites.capture();
        pin("SSLContext.getInstance", requested, decision.applied(), decision.action(), site);
        if (decision.action() != Action.DENIED) { // a refused getInstance makes no context
            contextPinned = true;
            contextPin.set(new PinOrigin("SSLContext.getInstance", requested, site));
        }
        switch (decision.action()) {
            case REWRITTEN:
                return decision.applied()[0];
            case DENIED:
                return new NoSuchAlgorithmException("tlsguard (mode=deny) refused SSLContext.getInstance(\"" + protocol
                        + "\"): " + protocol + " is below the floor " + p.floor());
            default:
                return null;
        }
    }

    @Override
    public Object protocols(Object target, String[] protocols, String method) {
        ProtocolPolicy p = policy;
        if (!p.anyBelowFloor(protocols)) {
            return null;
        }
        List<CallSites.Frame> frames = CallSites.frames(64);
        if (target instanceof SSLParameters && CallSites.platformSetsParameters(frames)) {
            return null; // a getSSLParameters() result, or java.net.http's copy: the program pinned nothing here
        }
        String api = api(target, method, frames);
        Object decision = decide(p, api, target, protocols.clone(), CallSites.of(frames));
        // SSLParameters is a value the program owns: enforce narrows protocols where they are applied
        // (setSSLParameters, handshake start), never in the object itself
        return target instanceof SSLParameters && decision instanceof String[] ? null : decision;
    }

    @Override
    public Object parameters(Object target, Object parameters) {
        String[] protocols = ((SSLParameters) parameters).getProtocols();
        ProtocolPolicy p = policy;
        if (protocols == null || !p.anyBelowFloor(protocols)) {
            return null;
        }
        return decide(p, kind(target) + ".setSSLParameters", target, protocols, CallSites.capture());
    }

    @Override
    public void applyProtocols(Object target, String[] protocols) {
        SslEndpoint endpoint = SslEndpoint.of(target);
        if (endpoint != null) {
            endpoint.setEnabledProtocols(target, protocols);
        }
    }

    /** One pinning call: report it (null), rewrite it (the new list) or refuse it (the exception). */
    private Object decide(ProtocolPolicy p, String api, Object target, String[] requested, CallSite site) {
        // only enforce raising to the floor and above needs what the target supports: otherwise tlsguard never
        // calls into the socket or engine
        String[] supported =
                p.action() == Action.REWRITTEN && p.rewrite() == Rewrite.FLOOR_AND_ABOVE ? supported(target) : null;
        Decision decision = p.decide(requested, supported, details.tls13Available());
        pin(api, requested, decision.applied(), decision.action(), site);
        if (target != null && decision.action() != Action.DENIED) { // a refused pin configured nothing
            pinnedBy.put(target, new PinOrigin(api, requested, site));
        }
        switch (decision.action()) {
            case REWRITTEN:
                if (!(target instanceof SSLParameters)) {
                    rewritten.put(target, Boolean.TRUE);
                }
                return decision.applied();
            case DENIED:
                return new IllegalArgumentException("tlsguard (mode=deny) refused " + api + " with "
                        + String.join(", ", requested) + ": protocols below the floor " + p.floor());
            default:
                return null;
        }
    }

    void pin(String api, String[] requested, String[] applied, Action action, CallSite site) {
        long occurrence = summary.pin(api, site);
        ReportWriter w = occurrence <= PIN_EVENTS_PER_SITE ? writer : null;
        FlightRecorderEvents recorder = FlightRecorderEvents.get();
        boolean recorded = recorder.pinsRecorded(); // a recording takes every pin, beyond the report's cap
        if (w == null && !recorded) {
            return;
        }
        PinEvent event = new PinEvent(api, requested, applied, action, site, occurrence);
        if (w != null) {
            w.offer(event);
        }
        if (recorded) {
            recorder.pin(event); // on this thread: the recording's stack trace is the pinning call's
        }
    }

    /** What a socket, server socket or engine supports (null for anything else): enforce keeps TLS 1.3 where it is. */
    private static String[] supported(Object target) {
        SslEndpoint endpoint = SslEndpoint.of(target);
        return endpoint == null ? null : endpoint.supportedProtocols(target);
    }

    private static String kind(Object target) {
        SslEndpoint endpoint = SslEndpoint.of(target);
        if (endpoint != null) {
            return endpoint.typeName();
        }
        if (target instanceof SSLParameters) {
            return "SSLParameters";
        }
        return target == null ? "?" : target.getClass().getName();
    }

    private static String api(Object target, String method, List<CallSites.Frame> frames) {
        if (target instanceof SSLParameters) {
            for (CallSites.Frame f : frames) {
                if (f.methodName().equals("<init>") && f.className().equals("javax.net.ssl.SSLParameters")) {
                    return "new SSLParameters";
                }
            }
        }
        return kind(target) + "." + method;
    }

    @Override
    public void accepted(Object serverSocket, Object socket) {
        if (rewritten.contains(serverSocket)) {
            rewritten.put(socket, Boolean.TRUE); // the accepted socket cloned the rewritten configuration
        }
        PinOrigin pin = pinnedBy.get(serverSocket);
        if (pin != null) {
            pinnedBy.put(socket, pin); // and the server socket's pin with it
        }
    }

    @Override
    public void contextCreated(Object context) {
        if (!contextPinned) {
            return; // no legacy context yet: the common case costs one volatile read
        }
        PinOrigin pin = contextPin.get();
        if (pin == null) {
            return; // not a legacy getInstance
        }
        contextPin.remove(); // also when getInstance threw: the pin never reaches a later, modern context
        if (context == null) {
            return;
        }
        Object spi = JsseInternals.contextSpi(context);
        if (spi != null) {
            pinnedBy.put(spi, pin); // a connection knows its SSLContextImpl, not the public SSLContext
        }
    }

    // --- handshakes ---

    @Override
    public void handshakeStarting(Object transportContext) {
        ProtocolPolicy p = policy;
        if (p.action() == Action.OBSERVED) { // report changes nothing
            return;
        }
        Object config = JsseInternals.config(transportContext);
        List<Object> enabled = JsseInternals.enabledProtocols(config);
        if (enabled == null || enabled.isEmpty()) {
            return;
        }
        List<Object> kept = new ArrayList<>(enabled.size());
        for (Object version : enabled) {
            if (!p.constantBelowFloor(JsseInternals.constantName(version))) {
                kept.add(version);
            }
        }
        if (kept.size() == enabled.size()) {
            return;
        }
        Object transport = JsseInternals.transport(transportContext);
        if (kept.isEmpty() && p.action() == Action.REWRITTEN) {
            // pinned before tlsguard could see it (a context made before attach, a system property):
            // the floor and what the connection supports above it
            String[] names = new String[enabled.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = JsseInternals.standardName(enabled.get(i));
            }
            for (String name : p.enforce(names, supported(transport), details.tls13Available())) {
                Object constant = JsseInternals.constantFor(enabled.get(0), name);
                if (constant != null) {
                    kept.add(constant);
                }
            }
        }
        if (JsseInternals.setEnabledProtocols(config, kept) && transport != null) {
            rewritten.put(transport, Boolean.TRUE);
        }
    }

    @Override
    public void handshakeFinished(Object transportContext) {
        ProtocolPolicy p = policy;
        finish(p, details.completed(transportContext), transportContext);
    }

    @Override
    public void fatal(Object transportContext, Object alert, String diagnostic, Throwable cause) {
        if (FailureCauses.afterAbandon(diagnostic) && JsseInternals.outboundClosed(transportContext)) {
            return; // the program closed outbound first: reported then, as abandoned
        }
        if (JsseInternals.closing(transportContext)
                || (JsseInternals.negotiated(transportContext)
                        && JsseInternals.handshakeContext(transportContext) == null)) {
            return; // already failing, or an established connection failing later: not a handshake's failure
        }
        ProtocolPolicy p = policy;
        HandshakeEvent.Builder failed = details.failed(transportContext, alert, diagnostic, cause);
        failed.protocolsChanged(changed(transportContext));
        FailureCauses.explain(failed, diagnostic, pinBehind(transportContext, failed.isClient()));
        finish(p, failed, transportContext);
    }

    /**
     * The program closes a connection's outbound side: one whose handshake started and never finished nor
     * failed was abandoned (JSSE sends user_canceled and close_notify, no fatal alert), and is reported so.
     */
    @Override
    public void closingOutbound(Object transportContext) {
        if (JsseInternals.closing(transportContext)
                || JsseInternals.negotiated(transportContext)
                || JsseInternals.handshakeContext(transportContext) == null
                || JsseInternals.outboundClosed(transportContext)) {
            return; // no handshake under way, or already failing
        }
        HandshakeEvent.Builder abandoned = details.abandoned(transportContext);
        FailureCauses.abandoned(abandoned, pinBehind(transportContext, abandoned.isClient()));
        finish(policy, abandoned, transportContext);
    }

    private boolean changed(Object transportContext) {
        Object transport = JsseInternals.transport(transportContext);
        return transport != null && rewritten.contains(transport);
    }

    /**
     * The pin behind a connection's protocols: its socket's or engine's own, else its context's, else
     * (no pin tlsguard saw a call for) the system property that sets this side's default protocols.
     */
    private PinOrigin pinBehind(Object transportContext, boolean client) {
        PinOrigin pin = pinnedBy.get(JsseInternals.transport(transportContext));
        if (pin == null) {
            pin = pinnedBy.get(JsseInternals.sslContext(transportContext));
        }
        return pin != null ? pin : FailureCauses.propertyPin(client);
    }

    @Override
    public void providerHandshakeStarting(Object endpoint) {
        outside.handshakeStarting(endpoint);
    }

    @Override
    public void providerHandshakeFailed(Object endpoint, Throwable thrown) {
        outside.handshakeFailed(endpoint, thrown);
    }

    @Override
    public void providerHandshakeFinished(Object endpoint) {
        outside.handshakeFinished(endpoint);
    }

    @Override
    public Object libraryProtocols(String[] protocols) {
        return outside.libraryProtocols(protocols);
    }

    @Override
    public void libraryRefused(Object socket, Throwable thrown) {
        outside.libraryRefused(socket, thrown);
    }

    void markRewritten(Object endpoint) {
        rewritten.put(endpoint, Boolean.TRUE);
    }

    @Override
    public void engineResult(Object engine, Object result, Throwable thrown) {
        HandshakeEvent.Builder outcome = engineHandshakes.outcome(engine, result, thrown);
        if (outcome != null) {
            report(policy, outcome, engine);
        }
    }

    /** What JSSE said, plus what tlsguard knows: whether it changed the protocols, under which policy. */
    private void finish(ProtocolPolicy p, HandshakeEvent.Builder details, Object transportContext) {
        report(p, details, JsseInternals.transport(transportContext));
    }

    /** A handshake of {@code transport} (a socket or engine), said by JSSE or a provider. */
    void report(HandshakeEvent.Builder details, Object transport) {
        report(policy, details, transport);
    }

    private void report(ProtocolPolicy p, HandshakeEvent.Builder details, Object transport) {
        HandshakeEvent event = details.protocolsChanged(transport != null && rewritten.contains(transport))
                .mode(p.mode().label())
                .floor(p.floor())
                .build();
        ReportWriter w = writer;
        if (w != null) {
            w.offerHandshake(event, summary); // counts it in the summary too, unless the report is already closed
        } else {
            summary.handshake(event);
        }
        FlightRecorderEvents.get().handshake(event); // on the handshaking thread, like the pins
    }
}
