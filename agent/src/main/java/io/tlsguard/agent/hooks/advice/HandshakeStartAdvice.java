package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.security.ssl.HandshakeContext(SSLContextImpl, TransportContext)}: the one place where JSSE
 * turns a connection's enabled protocols into the protocols a handshake may use, on both sides, for
 * sockets and engines, however the protocols were set (setters, a pinned context, system properties,
 * a server socket's clone). Enforce/deny remove the protocols below the floor here, so the floor holds
 * for what is negotiated, not only for what was called. Internal JDK class: present in JDK 8u261+ and
 * 11+; where it is absent the hook simply does not match.
 *
 * <p>Inlined into {@code java.base}: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class HandshakeStartAdvice {
    private HandshakeStartAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(1) Object transportContext) {
        TlsGuardHooks.handshakeStarting(transportContext);
    }
}
