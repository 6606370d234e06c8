package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code setSSLParameters(SSLParameters)} on sockets, server sockets and engines: the parameters'
 * protocols are reported, refused with {@code IllegalArgumentException} (deny), or (enforce) applied
 * and then narrowed to the floor on the socket or engine, never in the caller's parameters object, so
 * that a program keeps its own objects as they were (and has them back, untouched, after a detach).
 * Jetty and {@code java.net.http} pin protocols only this way.
 *
 * <p>Inlined into JDK (and third-party provider) classes: references only the bootstrap runtime
 * ({@link TlsGuardHooks}) and {@code java.lang}.
 */
public final class ParametersAdvice {
    private ParametersAdvice() {}

    /** @return a Throwable to throw instead of running the method (deny), protocols to apply after it, or null */
    @Advice.OnMethodEnter(skipOn = Throwable.class, suppress = Throwable.class)
    public static Object enter(@Advice.This Object self, @Advice.Argument(0) Object parameters) {
        return TlsGuardHooks.parameters(self, parameters);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.This Object self,
            @Advice.Enter Object decision,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (decision instanceof Throwable) {
            thrown = (Throwable) decision;
        } else if (decision instanceof String[] && thrown == null) {
            TlsGuardHooks.applyProtocols(self, (String[]) decision);
        }
    }
}
