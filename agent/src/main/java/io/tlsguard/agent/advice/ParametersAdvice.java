package io.tlsguard.agent.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code setSSLParameters(SSLParameters)} on sockets, server sockets and engines: the parameters'
 * protocols are reported, filtered in place (enforce) or refused with {@code IllegalArgumentException}
 * (deny). Jetty and {@code java.net.http} pin protocols only this way.
 *
 * <p>Inlined into JDK (and third-party provider) classes: references only the bootstrap runtime
 * ({@link TlsGuardHooks}) and {@code java.lang}.
 */
public final class ParametersAdvice {
    private ParametersAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Throwable enter(@Advice.This Object self, @Advice.Argument(0) Object parameters) {
        Object decision = TlsGuardHooks.parameters(self, parameters);
        return decision instanceof Throwable ? (Throwable) decision : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Throwable denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (denial != null) {
            thrown = denial;
        }
    }
}
