package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.security.ssl.TransportContext.finishHandshake()}: every completed handshake passes here,
 * client and server, socket and engine, TLS 1.2 and 1.3, full and resumed (unlike the JDK's own JFR
 * event). Internal JDK class, see {@link HandshakeStartAdvice}.
 *
 * <p>Inlined into {@code java.base}: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class HandshakeFinishedAdvice {
    private HandshakeFinishedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object transportContext) {
        TlsGuardHooks.handshakeFinished(transportContext);
    }
}
