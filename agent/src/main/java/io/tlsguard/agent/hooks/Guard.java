package io.tlsguard.agent.hooks;

import io.tlsguard.agent.jsse.CallSites;
import io.tlsguard.agent.jsse.HandshakeDetails;
import io.tlsguard.agent.jsse.JsseInternals;
import io.tlsguard.agent.policy.Mode;
import io.tlsguard.agent.policy.ProtocolPolicy;
import io.tlsguard.agent.policy.SystemPropertyPins;
import io.tlsguard.agent.report.CallSite;
import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinEvent;
import io.tlsguard.agent.report.ReportCounters;
import io.tlsguard.agent.report.ReportWriter;
import io.tlsguard.agent.report.Summary;
import io.tlsguard.bootstrap.HookHandler;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The agent's side of every hook: applies the {@link ProtocolPolicy}, records pins with their call site,
 * and turns handshakes into events. Runs on the host's threads, so it only computes and enqueues.
 */
public final class Guard implements HookHandler {
    /** Pin events written per call site; later pins there are only counted (see the summary). */
    static final int PIN_EVENTS_PER_SITE = 10;

    private volatile ProtocolPolicy policy;
    private volatile ReportWriter writer;
    private final Summary summary = new Summary();
    private final HandshakeDetails details = new HandshakeDetails();
    /** System properties set before JSSE read them: no call site to point at. */
    private final SystemPropertyPins properties = new SystemPropertyPins(new SystemPropertyPins.Findings() {
        @Override
        public void pin(String api, String[] requested, String[] applied, String action) { // not a lambda: see ReportWriter
            Guard.this.pin(api, requested, applied, action, null);
        }
    });
    /**
     * Sockets, server sockets and engines whose protocols tlsguard rewrote (weak: never keeps a
     * connection alive), so each handshake can say whether tlsguard changed its protocols.
     */
    private final Map<Object, Boolean> rewritten = Collections.synchronizedMap(new WeakHashMap<>());

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

    /** The report writer's counters now (see {@link PrivilegedHandler#counters}). */
    ReportCounters counters() {
        return writer.counters();
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
        CallSite site = CallSites.capture();
        switch (p.mode()) {
            case ENFORCE:
                String floor = p.enforceContext();
                pin("SSLContext.getInstance", requested, new String[] {floor}, "rewritten", site);
                return floor;
            case DENY:
                pin("SSLContext.getInstance", requested, new String[0], "denied", site);
                return new NoSuchAlgorithmException("tlsguard (mode=deny) refused SSLContext.getInstance(\"" + protocol
                        + "\"): " + protocol + " is below the floor " + p.floor());
            default:
                pin("SSLContext.getInstance", requested, requested, "observed", site);
                return null;
        }
    }

    @Override
    public Object protocols(Object target, String[] protocols, String method) {
        ProtocolPolicy p = policy;
        if (!p.anyBelowFloor(protocols)) {
            return null;
        }
        List<StackTraceElement> frames = CallSites.frames(64);
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
        if (target instanceof SSLSocket) {
            ((SSLSocket) target).setEnabledProtocols(protocols);
        } else if (target instanceof SSLEngine) {
            ((SSLEngine) target).setEnabledProtocols(protocols);
        } else if (target instanceof SSLServerSocket) {
            ((SSLServerSocket) target).setEnabledProtocols(protocols);
        }
    }

    /** One pinning call: report it (null), rewrite it (the new list) or refuse it (the exception). */
    private Object decide(ProtocolPolicy p, String api, Object target, String[] requested, CallSite site) {
        switch (p.mode()) {
            case ENFORCE:
                String[] applied = p.enforce(requested, supported(target), details.tls13Available());
                pin(api, requested, applied, "rewritten", site);
                if (!(target instanceof SSLParameters)) {
                    rewritten.put(target, Boolean.TRUE);
                }
                return applied;
            case DENY:
                pin(api, requested, new String[0], "denied", site);
                return new IllegalArgumentException("tlsguard (mode=deny) refused " + api + " with " + String.join(", ", requested)
                        + ": protocols below the floor " + p.floor());
            default:
                pin(api, requested, requested, "observed", site);
                return null;
        }
    }

    private void pin(String api, String[] requested, String[] applied, String action, CallSite site) {
        long occurrence = summary.pin(api, site);
        if (occurrence <= PIN_EVENTS_PER_SITE) {
            ReportWriter w = writer;
            if (w != null) {
                w.offer(new PinEvent(api, requested, applied, action, site, occurrence));
            }
        }
    }

    private static String[] supported(Object target) {
        if (target instanceof SSLSocket) {
            return ((SSLSocket) target).getSupportedProtocols();
        }
        if (target instanceof SSLEngine) {
            return ((SSLEngine) target).getSupportedProtocols();
        }
        if (target instanceof SSLServerSocket) {
            return ((SSLServerSocket) target).getSupportedProtocols();
        }
        return null;
    }

    static String kind(Object target) {
        if (target instanceof SSLSocket) {
            return "SSLSocket";
        }
        if (target instanceof SSLServerSocket) {
            return "SSLServerSocket";
        }
        if (target instanceof SSLEngine) {
            return "SSLEngine";
        }
        if (target instanceof SSLParameters) {
            return "SSLParameters";
        }
        return target == null ? "?" : target.getClass().getName();
    }

    private static String api(Object target, String method, List<StackTraceElement> frames) {
        if (target instanceof SSLParameters) {
            for (StackTraceElement f : frames) {
                if (f.getMethodName().equals("<init>") && f.getClassName().equals("javax.net.ssl.SSLParameters")) {
                    return "new SSLParameters";
                }
            }
        }
        return kind(target) + "." + method;
    }

    @Override
    public void accepted(Object serverSocket, Object socket) {
        if (rewritten.containsKey(serverSocket)) {
            rewritten.put(socket, Boolean.TRUE); // the accepted socket cloned the rewritten configuration
        }
    }

    // --- handshakes ---

    @Override
    public void handshakeStarting(Object transportContext) {
        ProtocolPolicy p = policy;
        if (p.mode() == Mode.REPORT) {
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
        if (kept.isEmpty() && p.mode() == Mode.ENFORCE) {
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
        HandshakeEvent event = details.completed(transportContext);
        finish(p, event, transportContext);
    }

    @Override
    public void fatal(Object transportContext, Object alert, String diagnostic, Throwable cause) {
        if (JsseInternals.closing(transportContext)
                || (JsseInternals.negotiated(transportContext) && JsseInternals.handshakeContext(transportContext) == null)) {
            return; // already failing, or an established connection failing later: not a handshake's failure
        }
        ProtocolPolicy p = policy;
        HandshakeEvent event = details.failed(transportContext, alert, diagnostic, cause);
        finish(p, event, transportContext);
    }

    private void finish(ProtocolPolicy p, HandshakeEvent event, Object transportContext) {
        Object transport = JsseInternals.transport(transportContext);
        event.protocolsChanged = transport != null && rewritten.containsKey(transport);
        event.mode = p.mode().label();
        event.floor = p.floor();
        ReportWriter w = writer;
        if (w != null) {
            w.offerHandshake(event, summary); // counts it in the summary too, unless the report is already closed
        } else {
            summary.handshake(event);
        }
    }
}
