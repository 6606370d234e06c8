package io.tlsguard.agent.hooks;

import io.tlsguard.agent.jsse.CallSites;
import io.tlsguard.agent.jsse.HandshakeDetails;
import io.tlsguard.agent.jsse.ProviderHandshakeDetails;
import io.tlsguard.agent.jsse.SslEndpoint;
import io.tlsguard.agent.policy.Action;
import io.tlsguard.agent.policy.Decision;
import io.tlsguard.agent.policy.ProtocolPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link Guard}'s hooks for TLS that never passes {@code sun.security.ssl}: a JSSE provider's own
 * handshakes (Bouncy Castle's JSSE), and a library that decides on protocol versions before any JSSE call
 * (OkHttp's ConnectionSpec). Only public API is read: the socket's or engine's protocols and session.
 */
final class OutsideJsse {
    /** Where a provider's endpoint stands: a failure is reported once, and none after it was established. */
    private enum State {
        ESTABLISHED,
        FAILED
    }

    private final Guard guard;
    private final HandshakeDetails details;
    private final ProviderHandshakeDetails providers;
    private final Map<Object, State> endpoints = Collections.synchronizedMap(new WeakHashMap<Object, State>());

    OutsideJsse(Guard guard, HandshakeDetails details) {
        this.guard = guard;
        this.details = details;
        this.providers = new ProviderHandshakeDetails(details);
    }

    /** A provider's class: defined by an application's loader, not the JDK's (whose handshakes are hooked inside). */
    private static boolean provider(Object endpoint) {
        return endpoint.getClass().getClassLoader() != null && SslEndpoint.of(endpoint) != null;
    }

    /**
     * The handshake-level floor for a provider: its enabled protocols lose what is below the floor just before
     * the handshake (a context pinned before an attach, a server socket's clone, the provider's own reading of
     * {@code jdk.tls.*.protocols}). Enforce leaves the floor when nothing is left; deny leaves nothing, so the
     * provider fails the handshake itself.
     */
    void handshakeStarting(Object endpoint) {
        ProtocolPolicy p = guard.policy();
        if (p.action() == Action.OBSERVED || !provider(endpoint)) {
            return;
        }
        SslEndpoint kind = SslEndpoint.of(endpoint);
        String[] enabled = kind.enabledProtocols(endpoint);
        if (enabled == null || !p.anyBelowFloor(enabled)) {
            return;
        }
        String[] kept;
        if (p.action() == Action.REWRITTEN) {
            kept = p.enforce(enabled, kind.supportedProtocols(endpoint), details.tls13Available());
        } else {
            List<String> modern = new ArrayList<>(enabled.length);
            for (String protocol : enabled) {
                if (!p.belowFloor(protocol)) {
                    modern.add(protocol);
                }
            }
            kept = modern.toArray(new String[0]);
        }
        kind.setEnabledProtocols(endpoint, kept); // through the setter's hook: nothing below the floor, no pin
        guard.markRewritten(endpoint);
    }

    void handshakeFailed(Object endpoint, Throwable thrown) {
        if (provider(endpoint) && claim(endpoint, State.FAILED)) {
            guard.report(providers.failed(endpoint, thrown), endpoint);
        }
    }

    void handshakeFinished(Object endpoint) {
        // an engine's completed handshake is the engine hooks' (its wrap/unwrap says FINISHED): reported once, there
        if (provider(endpoint) && SslEndpoint.of(endpoint) != SslEndpoint.ENGINE) {
            endpoints.put(endpoint, State.ESTABLISHED);
            guard.report(providers.completed(endpoint), endpoint);
        }
    }

    /** The first failure of an endpoint that never completed a handshake; later throws are the same failure. */
    private boolean claim(Object endpoint, State state) {
        synchronized (endpoints) {
            if (endpoints.containsKey(endpoint)) {
                return false;
            }
            endpoints.put(endpoint, state);
            return true;
        }
    }

    /**
     * OkHttp's ConnectionSpec versions: a pin at the program's {@code ConnectionSpec.Builder.build()} (not
     * OkHttp's own specs, nor the spec it rebuilds from a socket's protocols when it applies one), rewritten under
     * enforce. Deny leaves the list as it is: OkHttp then refuses the connection itself, or its
     * {@code setEnabledProtocols} with these versions is refused.
     */
    Object libraryProtocols(String[] versions) {
        ProtocolPolicy p = guard.policy();
        if (!p.anyBelowFloor(versions)) {
            return null;
        }
        List<CallSites.Frame> frames = CallSites.frames(64);
        for (CallSites.Frame f : frames) {
            if (f.className().startsWith("okhttp3.ConnectionSpec")
                    && (f.methodName().startsWith("apply") || f.methodName().equals("<clinit>"))) {
                // OkHttp applying a spec to a socket (the spec's own build was the pin), or making its built-in
                // specs (COMPATIBLE_TLS lists TLS 1.0/1.1): a program that uses one pins nothing of its own, and
                // what it applies to a socket meets the setter hooks
                return null;
            }
        }
        String[] requested = versions.clone();
        Decision decision = p.decide(requested, null, details.tls13Available());
        guard.pin(
                "okhttp3.ConnectionSpec.tlsVersions",
                requested,
                decision.applied(),
                decision.action(),
                CallSites.of(frames));
        return decision.action() == Action.REWRITTEN ? decision.applied() : null;
    }

    /** OkHttp refused a socket before its handshake (UnknownServiceException): that connection's failure. */
    void libraryRefused(Object socket, Throwable thrown) {
        if (SslEndpoint.of(socket) == SslEndpoint.SOCKET && claim(socket, State.FAILED)) {
            guard.report(providers.failed(socket, thrown), socket);
        }
    }
}
