package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * A provider's socket or engine {@code notifyHandshakeComplete(connection)}: Bouncy Castle's JSSE calls it
 * on its socket or engine when a handshake completed, client or server, and the connection (its session)
 * is set on the way out, so the session's public getters answer without starting anything.
 *
 * <p>Inlined into provider classes: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class ProviderHandshakeCompleteAdvice {
    private ProviderHandshakeCompleteAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object endpoint) {
        TlsGuardHooks.providerHandshakeFinished(endpoint);
    }
}
