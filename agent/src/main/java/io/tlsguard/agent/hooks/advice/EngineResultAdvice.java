package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code wrap(...)} and {@code unwrap(...)} of every SSLEngine outside the JDK (netty-tcnative's
 * {@code ReferenceCountedOpenSslEngine}, Bouncy Castle's, Conscrypt's...), on exit: a result whose handshake
 * status is {@code FINISHED} is a completed handshake, an exception thrown before one completed a failed one.
 * Public API only, so it holds for any engine; the JDK's own engine is not woven (its handshakes are seen
 * inside JSSE). On the data path: all the handler does for an ordinary result is read its status.
 *
 * <p>Inlined into third-party engine classes: references only the bootstrap runtime ({@link TlsGuardHooks})
 * and {@code java.lang}.
 */
public final class EngineResultAdvice {
    private EngineResultAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object engine, @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
        TlsGuardHooks.engineResult(engine, result, thrown);
    }
}
