package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * A provider's socket {@code startHandshake(boolean)} (Bouncy Castle's JSSE runs every socket handshake
 * there: {@code startHandshake()}, and the first read or write) and engine {@code beginHandshake()}
 * (BC's {@code wrap}/{@code unwrap} call it): on entry the floor is applied to the enabled protocols; a
 * throw out of it is a failed handshake. Never on the JDK's classes ({@code sun.security.ssl} hooks
 * cover them).
 *
 * <p>Inlined into provider classes: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class ProviderHandshakeAdvice {
    private ProviderHandshakeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object endpoint) {
        TlsGuardHooks.providerHandshakeStarting(endpoint);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object endpoint, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            TlsGuardHooks.providerHandshakeFailed(endpoint, thrown);
        }
    }
}
