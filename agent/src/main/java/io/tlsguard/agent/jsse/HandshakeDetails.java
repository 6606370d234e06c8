package io.tlsguard.agent.jsse;

import io.tlsguard.agent.report.HandshakeEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Reads a handshake's details from a connection's JSSE state into a {@link HandshakeEvent.Builder}. Public API where it neither locks nor
 * throws on the hot path (session getters, socket addresses); JDK-internal fields for the rest
 * (resumption, named group, ALPN, enabled protocols). Runs on the handshaking thread: cheap reads only.
 */
public final class HandshakeDetails {
    /** The last peer certificate seen and its names: servers and clients meet the same one again and again. */
    private volatile CertNames lastCert;

    /** The last two enabled protocol lists seen and their names (see {@link #protocolNames}). */
    private volatile ProtocolNames lastNames;

    private volatile ProtocolNames olderNames;

    private final boolean tls13 = detectTls13();

    public boolean tls13Available() {
        return tls13;
    }

    /**
     * TLS 1.3 exists in JDK 11+ and in JDK 8 from 8u261, the releases with the new JSSE TransportContext.
     * Looked up as a resource, not loaded: a hooked class loaded at startup would have to be retransformed
     * there, before the program's main, which costs a tenth of a second.
     */
    private static boolean detectTls13() {
        try {
            return ClassLoader.getSystemResource("sun/security/ssl/TransportContext.class") != null;
        } catch (Throwable e) {
            return false;
        }
    }

    public HandshakeEvent.Builder completed(Object transportContext) {
        HandshakeEvent.Builder e = common(transportContext);
        e.established(true);
        SSLSession session = (SSLSession) JsseInternals.session(transportContext);
        Object handshake = JsseInternals.handshakeContext(transportContext);
        if (session != null) {
            e.protocol(session.getProtocol());
            e.cipher(session.getCipherSuite());
            peerCertificate(e, session);
            if (!e.isClient() && session instanceof ExtendedSSLSession) {
                e.serverName(sniHost(((ExtendedSSLSession) session).getRequestedServerNames()));
            }
        }
        e.resumed(JsseInternals.resumption(handshake));
        e.curve(JsseInternals.namedGroup(handshake));
        e.alpn(JsseInternals.applicationProtocol(transportContext));
        addresses(e, JsseInternals.transport(transportContext), session);
        return e;
    }

    public HandshakeEvent.Builder failed(Object transportContext, Object alert, String diagnostic, Throwable cause) {
        HandshakeEvent.Builder e = common(transportContext);
        e.established(false);
        Object handshake = JsseInternals.handshakeContext(transportContext);
        Object negotiated = JsseInternals.negotiatedProtocol(handshake);
        if (negotiated != null && !"NONE".equals(JsseInternals.constantName(negotiated))) {
            e.protocol(JsseInternals.standardName(negotiated));
        }
        Object description = JsseInternals.read(alert, "description");
        e.alert(description instanceof String ? (String) description : null);
        e.errorType(cause != null ? cause.getClass().getName() : "javax.net.ssl.SSLHandshakeException");
        String causeMessage = cause == null ? null : cause.getMessage();
        e.errorMessage(
                diagnostic == null
                        ? causeMessage
                        : causeMessage == null || diagnostic.equals(causeMessage)
                                ? diagnostic
                                : diagnostic + ": " + causeMessage);
        Object session = JsseInternals.session(transportContext);
        addresses(
                e,
                JsseInternals.transport(transportContext),
                session instanceof SSLSession ? (SSLSession) session : null);
        return e;
    }

    /**
     * A handshake the program gave up on: it closed the connection's outbound side before the handshake
     * finished, and JSSE sent user_canceled and close_notify, no fatal alert.
     */
    public HandshakeEvent.Builder abandoned(Object transportContext) {
        HandshakeEvent.Builder e = common(transportContext);
        e.established(false);
        e.errorType("abandoned");
        e.errorMessage("the program closed the connection before the handshake finished");
        Object session = JsseInternals.session(transportContext);
        addresses(
                e,
                JsseInternals.transport(transportContext),
                session instanceof SSLSession ? (SSLSession) session : null);
        return e;
    }

    /** Side, transport kind, SNI asked for by a client, and the enabled protocols. */
    private HandshakeEvent.Builder common(Object transportContext) {
        HandshakeEvent.Builder e = HandshakeEvent.builder();
        Object config = JsseInternals.config(transportContext);
        Object transport = JsseInternals.transport(transportContext);
        e.client(JsseInternals.clientMode(config));
        SslEndpoint endpoint =
                SslEndpoint.of(transport); // a socket or an engine: a server socket has no TransportContext
        e.transport(
                endpoint != null
                        ? endpoint.typeName()
                        : transport == null ? null : transport.getClass().getName());
        if (e.isClient()) {
            e.serverName(sniHost(JsseInternals.serverNames(config)));
        }
        List<Object> enabled = JsseInternals.enabledProtocols(config);
        if (enabled != null) {
            e.enabledProtocols(protocolNames(enabled));
        }
        return e;
    }

    /**
     * The JSSE names of a connection's enabled protocols. The connections of one SSLContext enable the same
     * constants, so the last list's names are kept and shared (events only read them): per handshake a compare
     * of a few references, not an array and a reflective read per protocol (issue 14).
     */
    private String[] protocolNames(List<Object> enabled) {
        ProtocolNames last = lastNames;
        if (last != null && last.sameConstants(enabled)) {
            return last.names;
        }
        // two lists kept: a JVM that is client and server (a proxy, a service calling others) alternates
        // between its client and its server defaults, and one entry missed on every event (issue 14 profile)
        ProtocolNames older = olderNames;
        if (older != null && older.sameConstants(enabled)) {
            return older.names; // not moved to the front: a write per event shared by every handshaking thread
        }
        Object[] constants = enabled.toArray();
        String[] names = new String[constants.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = JsseInternals.standardName(constants[i]);
        }
        olderNames = last;
        lastNames = new ProtocolNames(constants, names);
        return names;
    }

    private static final class ProtocolNames {
        final Object[] constants;
        final String[] names;

        ProtocolNames(Object[] constants, String[] names) {
            this.constants = constants;
            this.names = names;
        }

        boolean sameConstants(List<Object> enabled) {
            if (enabled.size() != constants.length) {
                return false;
            }
            for (int i = 0; i < constants.length; i++) {
                if (enabled.get(i) != constants[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String sniHost(List<?> names) {
        if (names != null) {
            for (Object name : names) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
                if (name instanceof SNIServerName) {
                    return name.toString();
                }
            }
        }
        return null;
    }

    /**
     * OpenTelemetry's server.* and client.* by side; network.peer.* is the other end. server.address
     * is the name the client asked for (SNI) when there is one.
     */
    static void addresses(HandshakeEvent.Builder e, Object transport, SSLSession session) {
        SslEndpoint endpoint = SslEndpoint.of(transport);
        String localAddress = endpoint == null ? null : endpoint.localAddress(transport);
        int localPort = endpoint == null ? -1 : endpoint.localPort(transport);
        String remoteAddress = endpoint == null ? null : endpoint.peerAddress(transport);
        int remotePort = endpoint == null ? -1 : endpoint.peerPort(transport);
        e.peerAddress(remoteAddress);
        e.peerPort(remotePort);
        if (e.isClient()) {
            String host = session == null ? null : session.getPeerHost();
            e.serverAddress(e.serverName() != null ? e.serverName() : host != null ? host : remoteAddress);
            e.serverPort(remotePort);
            e.clientAddress(localAddress);
            e.clientPort(localPort);
        } else {
            e.serverAddress(e.serverName() != null ? e.serverName() : localAddress);
            e.serverPort(localPort);
            e.clientAddress(remoteAddress);
            e.clientPort(remotePort);
        }
    }

    void peerCertificate(HandshakeEvent.Builder e, SSLSession session) {
        Certificate[] chain = JsseInternals.peerCertificates(session);
        if (chain == null && e.isClient()) {
            try {
                chain = session.getPeerCertificates();
            } catch (SSLPeerUnverifiedException none) {
                chain = null;
            }
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            return;
        }
        X509Certificate cert = (X509Certificate) chain[0];
        CertNames names = lastCert;
        // each handshake decodes the peer's certificate anew: compare encodings (no copy for the JDK's
        // certificates), so the names are formatted once per distinct certificate, not per handshake
        if (names == null || !names.cert.equals(cert)) {
            names = new CertNames(cert);
            lastCert = names;
        }
        e.peerSubject(names.subject);
        e.peerIssuer(names.issuer);
        e.peerNotAfter(names.notAfter);
    }

    private static final class CertNames {
        final X509Certificate cert;
        final String subject;
        final String issuer;
        final long notAfter;

        CertNames(X509Certificate cert) {
            this.cert = cert;
            this.subject = cert.getSubjectX500Principal().getName();
            this.issuer = cert.getIssuerX500Principal().getName();
            this.notAfter = cert.getNotAfter().getTime();
        }
    }
}
