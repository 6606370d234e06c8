package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.security.ssl.TransportContext.fatal(Alert, String, boolean, Throwable)}: the overload every
 * fatal error of a connection funnels into, sent or received; a failed handshake is one that dies here
 * before it finished. Internal JDK class, see {@link HandshakeStartAdvice}.
 *
 * <p>Inlined into {@code java.base}: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class FatalAdvice {
    private FatalAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
            @Advice.This Object transportContext,
            @Advice.Argument(0) Object alert,
            @Advice.Argument(1) String diagnostic,
            @Advice.Argument(3) Throwable cause) {
        TlsGuardHooks.fatal(transportContext, alert, diagnostic, cause);
    }
}
