package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * OkHttp 4's {@code ConnectionSpecSelector.configureSecureSocket(SSLSocket)}: it throws
 * {@code UnknownServiceException} when no ConnectionSpec fits the socket, before any handshake starts;
 * that is reported as the connection's failed handshake.
 *
 * <p>Inlined into OkHttp's class: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class ConnectionSpecSelectorAdvice {
    private ConnectionSpecSelectorAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object socket, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            TlsGuardHooks.libraryRefused(socket, thrown);
        }
    }
}
