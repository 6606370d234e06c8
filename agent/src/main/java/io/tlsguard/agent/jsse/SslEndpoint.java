package io.tlsguard.agent.jsse;

import java.net.InetAddress;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The three kinds of object a connection's protocols are set on: the one place that tells an
 * {@code SSLSocket} from an {@code SSLServerSocket} from an {@code SSLEngine} (they share no interface
 * for it), the JDK's or a provider's.
 */
public enum SslEndpoint {
    SOCKET("SSLSocket") {
        @Override
        public String[] supportedProtocols(Object target) {
            return ((SSLSocket) target).getSupportedProtocols();
        }

        @Override
        public void setEnabledProtocols(Object target, String[] protocols) {
            ((SSLSocket) target).setEnabledProtocols(protocols);
        }

        @Override
        public String[] enabledProtocols(Object target) {
            return ((SSLSocket) target).getEnabledProtocols();
        }

        @Override
        public boolean clientMode(Object target) {
            return ((SSLSocket) target).getUseClientMode();
        }

        @Override
        public String localAddress(Object target) {
            return hostAddress(((SSLSocket) target).getLocalAddress());
        }

        @Override
        public int localPort(Object target) {
            return ((SSLSocket) target).getLocalPort();
        }

        @Override
        public String peerAddress(Object target) {
            return hostAddress(((SSLSocket) target).getInetAddress());
        }

        @Override
        public int peerPort(Object target) {
            SSLSocket socket = (SSLSocket) target;
            return socket.getInetAddress() == null ? -1 : socket.getPort(); // not connected
        }
    },
    SERVER_SOCKET("SSLServerSocket") {
        @Override
        public String[] supportedProtocols(Object target) {
            return ((SSLServerSocket) target).getSupportedProtocols();
        }

        @Override
        public void setEnabledProtocols(Object target, String[] protocols) {
            ((SSLServerSocket) target).setEnabledProtocols(protocols);
        }

        @Override
        public String[] enabledProtocols(Object target) {
            return ((SSLServerSocket) target).getEnabledProtocols();
        }

        @Override
        public boolean clientMode(Object target) {
            return ((SSLServerSocket) target).getUseClientMode();
        }
    },
    ENGINE("SSLEngine") {
        @Override
        public String[] supportedProtocols(Object target) {
            return ((SSLEngine) target).getSupportedProtocols();
        }

        @Override
        public void setEnabledProtocols(Object target, String[] protocols) {
            ((SSLEngine) target).setEnabledProtocols(protocols);
        }

        @Override
        public String[] enabledProtocols(Object target) {
            return ((SSLEngine) target).getEnabledProtocols();
        }

        @Override
        public boolean clientMode(Object target) {
            return ((SSLEngine) target).getUseClientMode();
        }

        @Override
        public String peerAddress(Object target) {
            return ((SSLEngine) target).getPeerHost(); // the hint it was made with: an engine has no socket
        }

        @Override
        public int peerPort(Object target) {
            return ((SSLEngine) target).getPeerPort();
        }
    };

    private final String typeName;

    SslEndpoint(String typeName) {
        this.typeName = typeName;
    }

    /** The endpoint kind of {@code target}, or null when it is none of the three (an SSLParameters, null). */
    public static SslEndpoint of(Object target) {
        if (target instanceof SSLSocket) {
            return SOCKET;
        }
        if (target instanceof SSLServerSocket) {
            return SERVER_SOCKET;
        }
        if (target instanceof SSLEngine) {
            return ENGINE;
        }
        return null;
    }

    /** The public JSSE type's simple name, as the report names APIs: {@code SSLSocket}... */
    public String typeName() {
        return typeName;
    }

    public abstract String[] supportedProtocols(Object target);

    public abstract void setEnabledProtocols(Object target, String[] protocols);

    public abstract String[] enabledProtocols(Object target);

    /** Whether it is (or will be) the client side of its connections. */
    public abstract boolean clientMode(Object target);

    /**
     * The local end of a connection, null when not known (an engine, which has no socket; a server
     * socket, which has no handshake of its own).
     */
    public String localAddress(Object target) {
        return null;
    }

    /** The local port, -1 when not known (see {@link #localAddress}). */
    public int localPort(Object target) {
        return -1;
    }

    /** The other end of a connection, null when not known (see {@link #localAddress}). */
    public String peerAddress(Object target) {
        return null;
    }

    /** The other end's port, -1 when not known (see {@link #localAddress}). */
    public int peerPort(Object target) {
        return -1;
    }

    private static String hostAddress(InetAddress address) {
        return address == null ? null : address.getHostAddress();
    }
}
