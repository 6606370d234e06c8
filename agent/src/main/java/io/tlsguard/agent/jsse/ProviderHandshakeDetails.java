package io.tlsguard.agent.jsse;

import io.tlsguard.agent.report.HandshakeEvent;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A handshake told from the public JSSE API alone, for sockets and engines whose internals tlsguard does
 * not read: a provider's (Bouncy Castle's JSSE), and a socket a library refused before its handshake
 * (OkHttp). Called once the handshake completed (the session's getters then start nothing) or failed.
 */
public final class ProviderHandshakeDetails {
    private final HandshakeDetails details;

    public ProviderHandshakeDetails(HandshakeDetails details) {
        this.details = details;
    }

    public HandshakeEvent.Builder completed(Object endpoint) {
        HandshakeEvent.Builder e = common(endpoint);
        e.established(true);
        SSLSession session = session(endpoint);
        if (session != null) {
            e.protocol(session.getProtocol());
            e.cipher(session.getCipherSuite());
            details.peerCertificate(e, session);
        }
        HandshakeDetails.addresses(e, endpoint, session);
        return e;
    }

    public HandshakeEvent.Builder failed(Object endpoint, Throwable thrown) {
        HandshakeEvent.Builder e = common(endpoint);
        e.established(false);
        e.errorType(thrown.getClass().getName());
        Throwable cause = thrown.getCause();
        String message = thrown.getMessage();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(message)) {
            message = message == null ? cause.getMessage() : message + ": " + cause.getMessage();
        }
        e.errorMessage(message);
        HandshakeDetails.addresses(e, endpoint, null);
        return e;
    }

    private static HandshakeEvent.Builder common(Object endpoint) {
        HandshakeEvent.Builder e = HandshakeEvent.builder();
        SslEndpoint kind = SslEndpoint.of(endpoint);
        e.client(kind.clientMode(endpoint));
        e.transport(kind.typeName());
        e.enabledProtocols(kind.enabledProtocols(endpoint));
        return e;
    }

    /** The established session: {@code getSession()} after the handshake (before one, it would start one). */
    private static SSLSession session(Object endpoint) {
        if (endpoint instanceof SSLSocket) {
            return ((SSLSocket) endpoint).getSession();
        }
        return endpoint instanceof SSLEngine ? ((SSLEngine) endpoint).getSession() : null;
    }
}
