package io.tlsguard.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import javax.net.ssl.SSLContext;

/**
 * What the hook-path measurements hand to {@code TlsGuardHooks.handshakeFinished}: the JSSE TransportContexts of
 * both sides of a real, resumed TLS 1.2 in-memory handshake, each with its HandshakeContext put back as it was when
 * {@code finishHandshake} ran (JSSE clears it only after the advice), so the hook reads what it reads in a real
 * handshake. Needs {@code --add-opens java.base/sun.security.ssl=ALL-UNNAMED} on 9+.
 */
final class FinishedHandshake {
    static final String PEER = "hookpath.test";

    final SSLContext context;
    final Object clientContext;
    final Object serverContext;
    /** {@code TlsGuardHooks.handshakeFinished(Object)}, or null without the agent. */
    final MethodHandle hook;

    FinishedHandshake() throws Exception {
        context = Tls.context();
        resume(context); // the first one is full: the session the next ones resume
        final Tls.Pair pair = new Tls.Pair(context, "TLSv1.2", PEER, 443);
        clientContext = Tls.transportContext(pair.client);
        serverContext = Tls.transportContext(pair.server);
        final Field handshakeContext = clientContext.getClass().getDeclaredField("handshakeContext");
        handshakeContext.setAccessible(true);
        final Object[] last = new Object[2];
        pair.handshake(new Runnable() {
            @Override
            public void run() {
                try {
                    Object c = handshakeContext.get(clientContext);
                    Object s = handshakeContext.get(serverContext);
                    last[0] = c != null ? c : last[0];
                    last[1] = s != null ? s : last[1];
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        if (last[0] == null || last[1] == null || !resumption(last[0]) || !resumption(last[1])) {
            throw new IllegalStateException("no resumed handshake to measure");
        }
        handshakeContext.set(clientContext, last[0]);
        handshakeContext.set(serverContext, last[1]);
        Class<?> hooks = Tls.agentRunning() ? Tls.hooks() : null;
        hook = hooks == null
                ? null
                : MethodHandles.publicLookup()
                        .findStatic(hooks, "handshakeFinished", MethodType.methodType(void.class, Object.class));
    }

    /** One resumed TLS 1.2 handshake of a new in-memory engine pair (after the first: a full one). */
    static Tls.Pair resume(SSLContext context) throws Exception {
        Tls.Pair pair = new Tls.Pair(context, "TLSv1.2", PEER, 443);
        pair.handshake();
        return pair;
    }

    private static boolean resumption(Object handshakeContext) throws ReflectiveOperationException {
        Field f = Class.forName("sun.security.ssl.HandshakeContext").getDeclaredField("isResumption");
        f.setAccessible(true);
        return f.getBoolean(handshakeContext);
    }
}
