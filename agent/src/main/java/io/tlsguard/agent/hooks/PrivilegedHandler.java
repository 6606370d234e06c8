package io.tlsguard.agent.hooks;

import io.tlsguard.agent.jsse.EngineHandshakes;
import io.tlsguard.bootstrap.HookHandler;
import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * The handler installed in the bootstrap runtime: the {@link Guard}, run in {@code doPrivileged} when a
 * security manager is installed. Hooks fire on the application's threads, with its (maybe sandboxed)
 * code on the stack; what the Guard does there (read system properties, JSSE's fields, socket
 * addresses) must be judged by tlsguard's own permissions, not the application's: else a policy would
 * silently turn enforce into report. Without a security manager (the usual case, and always on JDK 24+)
 * each call is one static read and a direct call: nothing is allocated.
 *
 * <p>tlsguard's own threads ({@link OwnThreads}: the OTLP exporter's https connection) are left alone: their
 * handshakes are not the host's.
 *
 * <p>Only tlsguard's own frames gain: where the Guard calls into other code (a provider socket's
 * {@code getSupportedProtocols}), that code's frames sit above the privileged one and are judged by their
 * own permissions, as {@code doPrivileged} only cuts the stack below it.
 */
public final class PrivilegedHandler implements HookHandler {
    private final Guard guard;

    public PrivilegedHandler(Guard guard) {
        this.guard = guard;
    }

    @SuppressWarnings("removal") // JDK 17+ deprecates the security manager; JDK 8 to 23 can run one
    private static boolean secured() {
        return System.getSecurityManager() != null;
    }

    @Override
    public long[] reportCounters() {
        return guard.reportCounters(); // atomic reads: no permission involved
    }

    @Override
    public Object contextProtocol(final String protocol) {
        if (OwnThreads.current()) {
            // the exporter's https may be the first use of JSSE in this JVM: the host's protocol properties
            // (jdk.tls.client.protocols...) are still checked before JSSE reads them, as on any other thread
            guard.checkSystemProperties();
            return null;
        }
        if (!secured()) {
            return guard.contextProtocol(protocol);
        }
        return AccessController.doPrivileged(new PrivilegedAction<Object>() {
            @Override
            public Object run() {
                return guard.contextProtocol(protocol);
            }
        });
    }

    @Override
    public Object protocols(final Object target, final String[] protocols, final String method) {
        if (OwnThreads.current()) {
            return null;
        }
        if (!secured()) {
            return guard.protocols(target, protocols, method);
        }
        return AccessController.doPrivileged(new PrivilegedAction<Object>() {
            @Override
            public Object run() {
                return guard.protocols(target, protocols, method);
            }
        });
    }

    @Override
    public Object parameters(final Object target, final Object parameters) {
        if (OwnThreads.current()) {
            return null;
        }
        if (!secured()) {
            return guard.parameters(target, parameters);
        }
        return AccessController.doPrivileged(new PrivilegedAction<Object>() {
            @Override
            public Object run() {
                return guard.parameters(target, parameters);
            }
        });
    }

    @Override
    public void applyProtocols(Object target, String[] protocols) {
        if (OwnThreads.current()) {
            return;
        }
        guard.applyProtocols(target, protocols); // public API on the application's own socket: its permissions apply
    }

    @Override
    public void accepted(Object serverSocket, Object socket) {
        guard.accepted(serverSocket, socket); // a weak map lookup: no permission involved
    }

    @Override
    public void handshakeStarting(final Object transportContext) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.handshakeStarting(transportContext);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.handshakeStarting(transportContext);
                return null;
            }
        });
    }

    @Override
    public void handshakeFinished(final Object transportContext) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.handshakeFinished(transportContext);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.handshakeFinished(transportContext);
                return null;
            }
        });
    }

    @Override
    public void engineResult(final Object engine, final Object result, final Throwable thrown) {
        if (OwnThreads.current()) {
            return;
        }
        if (!EngineHandshakes.ended(result, thrown)) {
            return; // the data path: no privileged block for an ordinary result
        }
        if (!secured()) {
            guard.engineResult(engine, result, thrown);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.engineResult(engine, result, thrown);
                return null;
            }
        });
    }

    @Override
    public void fatal(
            final Object transportContext, final Object alert, final String diagnostic, final Throwable cause) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.fatal(transportContext, alert, diagnostic, cause);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.fatal(transportContext, alert, diagnostic, cause);
                return null;
            }
        });
    }

    @Override
    public void contextCreated(final Object context) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.contextCreated(context);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.contextCreated(context);
                return null;
            }
        });
    }

    @Override
    public void closingOutbound(final Object transportContext) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.closingOutbound(transportContext);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.closingOutbound(transportContext);
                return null;
            }
        });
    }

    @Override
    public void providerHandshakeStarting(final Object endpoint) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.providerHandshakeStarting(endpoint);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.providerHandshakeStarting(endpoint);
                return null;
            }
        });
    }

    @Override
    public void providerHandshakeFailed(final Object endpoint, final Throwable thrown) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.providerHandshakeFailed(endpoint, thrown);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.providerHandshakeFailed(endpoint, thrown);
                return null;
            }
        });
    }

    @Override
    public void providerHandshakeFinished(final Object endpoint) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.providerHandshakeFinished(endpoint);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.providerHandshakeFinished(endpoint);
                return null;
            }
        });
    }

    @Override
    public void libraryRefused(final Object socket, final Throwable thrown) {
        if (OwnThreads.current()) {
            return;
        }
        if (!secured()) {
            guard.libraryRefused(socket, thrown);
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                guard.libraryRefused(socket, thrown);
                return null;
            }
        });
    }

    @Override
    public Object libraryProtocols(final String[] protocols) {
        if (OwnThreads.current()) {
            return null;
        }
        if (!secured()) {
            return guard.libraryProtocols(protocols);
        }
        return AccessController.doPrivileged(new PrivilegedAction<Object>() {
            @Override
            public Object run() {
                return guard.libraryProtocols(protocols);
            }
        });
    }
}
