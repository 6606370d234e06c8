package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.security.ssl.TransportContext.closeOutbound()}: an engine's {@code closeOutbound()} (and a
 * socket's output shutdown) pass here. A handshake under way then is abandoned by the program: JSSE sends
 * user_canceled and close_notify, never a fatal alert, so {@link FatalAdvice} does not see it. Internal JDK
 * class, see {@link HandshakeStartAdvice}.
 *
 * <p>Inlined into {@code java.base}: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class CloseOutboundAdvice {
    private CloseOutboundAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object transportContext) {
        TlsGuardHooks.closingOutbound(transportContext);
    }
}
