package io.tlsguard.agent.jsse;

import io.tlsguard.agent.report.HandshakeEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Handshakes of engines outside the JDK (netty-tcnative's BoringSSL engine, Bouncy Castle's, Conscrypt's...),
 * read through the public {@link SSLEngine} API only, from what their {@code wrap}/{@code unwrap} return or
 * throw. Such an engine's {@code wrap}/{@code unwrap} overloads call each other, so one handshake can end in
 * several hooked calls: each engine's last outcome is remembered (weakly) and reported once.
 */
public final class EngineHandshakes {
    /** The outcome remembered for an engine whose handshake failed. */
    private static final Object FAILED = new Object();
    /** The JDK's JSSE implementation: its engine's handshakes are reported by the JSSE-internal hooks. */
    private static final String JSSE = "sun.security.ssl.";

    /** Engine to the session of its last reported handshake, or {@link #FAILED}; weak: keeps no engine alive. */
    private final Map<Object, Object> reported = new WeakHashMap<>();

    /**
     * Whether a {@code wrap}/{@code unwrap} outcome may end a handshake: a FINISHED status, or an SSLException.
     * On the data path: for an ordinary result, one field read and a compare.
     */
    public static boolean ended(Object result, Throwable thrown) {
        if (thrown != null) {
            return thrown instanceof SSLException;
        }
        return result instanceof SSLEngineResult
                && ((SSLEngineResult) result).getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /**
     * The event for what {@code wrap}/{@code unwrap} of {@code engine} returned or threw, or null when it ends
     * no handshake, or one already reported.
     */
    public HandshakeEvent.Builder outcome(Object engine, Object result, Throwable thrown) {
        if (!(engine instanceof SSLEngine) || !ended(result, thrown)) {
            return null;
        }
        SSLEngine e = (SSLEngine) engine;
        if (thrown != null) {
            if (fromJsse(thrown)) {
                return null; // a wrapper around the JDK's engine (Netty's JdkSslEngine...): JSSE's hooks reported it
            }
            synchronized (reported) {
                if (reported.containsKey(engine)) {
                    return null; // failing again, or an established connection failing later: not a handshake's failure
                }
                reported.put(engine, FAILED);
            }
            return failed(e, thrown);
        }
        SSLSession session = e.getSession();
        if (session != null && session.getClass().getName().startsWith(JSSE)) {
            return null; // a wrapper around the JDK's engine: JSSE's hooks reported this handshake
        }
        synchronized (reported) {
            if (reported.get(engine) == session) {
                return null; // the same handshake, seen again by the overload that called the one that finished it
            }
            reported.put(engine, session);
        }
        return completed(e, session);
    }

    /** Whether JSSE made this exception (or one it wraps): its fatal-alert hook has reported that failure. */
    private static boolean fromJsse(Throwable thrown) {
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            StackTraceElement[] frames = t.getStackTrace();
            if (frames.length > 0 && frames[0].getClassName().startsWith(JSSE)) {
                return true;
            }
        }
        return false;
    }

    private static HandshakeEvent.Builder completed(SSLEngine engine, SSLSession session) {
        HandshakeEvent.Builder event = common(engine).established(true);
        if (session != null) {
            event.protocol(session.getProtocol());
            event.cipher(session.getCipherSuite());
            if (event.isClient()) {
                peerCertificate(event, session);
            }
        }
        return event;
    }

    private static HandshakeEvent.Builder failed(SSLEngine engine, Throwable thrown) {
        String message = thrown.getMessage();
        return common(engine)
                .established(false)
                .errorType(thrown.getClass().getName())
                .errorMessage(message)
                .alert(openSslAlert(message));
    }

    /**
     * The TLS alert an OpenSSL/BoringSSL error names, as JSSE names alerts: netty-tcnative's
     * {@code error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION} is {@code
     * protocol_version}. Null for any other message.
     */
    static String openSslAlert(String message) {
        if (message == null) {
            return null;
        }
        int at = message.lastIndexOf("_ALERT_");
        if (at < 0 || message.lastIndexOf(':') > at) {
            return null;
        }
        String name = message.substring(at + "_ALERT_".length()).trim();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '_') {
                return null;
            }
        }
        return name.isEmpty() ? null : name.toLowerCase(Locale.ROOT);
    }

    /** Side, transport, enabled protocols and the peer: an engine knows its peer only as the hint it was made with. */
    private static HandshakeEvent.Builder common(SSLEngine engine) {
        HandshakeEvent.Builder event =
                HandshakeEvent.builder().client(engine.getUseClientMode()).transport(SslEndpoint.ENGINE.typeName());
        event.enabledProtocols(engine.getEnabledProtocols());
        String peer = engine.getPeerHost();
        int port = engine.getPeerPort();
        event.peerAddress(peer).peerPort(port);
        if (event.isClient()) {
            event.serverAddress(peer).serverPort(port);
        } else {
            event.clientAddress(peer).clientPort(port);
        }
        return event;
    }

    private static void peerCertificate(HandshakeEvent.Builder event, SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException | UnsupportedOperationException none) {
            return;
        }
        if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate) {
            X509Certificate cert = (X509Certificate) chain[0];
            event.peerSubject(cert.getSubjectX500Principal().getName());
            event.peerIssuer(cert.getIssuerX500Principal().getName());
            event.peerNotAfter(cert.getNotAfter().getTime());
        }
    }
}
