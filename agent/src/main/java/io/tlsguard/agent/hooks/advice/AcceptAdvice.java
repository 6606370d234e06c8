package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code SSLServerSocket.accept()}: an accepted socket clones its server socket's configuration without
 * any setter call, so tlsguard links the two to know whether the protocols were rewritten.
 *
 * <p>Inlined into server socket implementations: references only the bootstrap runtime
 * ({@link TlsGuardHooks}) and {@code java.lang}.
 */
public final class AcceptAdvice {
    private AcceptAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Return Object socket) {
        TlsGuardHooks.accepted(self, socket);
    }
}
