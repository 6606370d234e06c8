package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code setEnabledProtocols(String[])} on every SSLSocket, SSLServerSocket and SSLEngine implementation,
 * and {@code SSLParameters.setProtocols(String[])} (which its two-argument constructor calls): a list
 * holding legacy protocols is reported, filtered to the floor (enforce) or refused with
 * {@code IllegalArgumentException} (deny).
 *
 * <p>Inlined into JDK (and third-party provider) classes: references only the bootstrap runtime
 * ({@link TlsGuardHooks}) and {@code java.lang}.
 */
public final class ProtocolsAdvice {
    private ProtocolsAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Throwable enter(
            @Advice.This Object self,
            @Advice.Origin("#m") String method,
            @Advice.Argument(value = 0, readOnly = false) String[] protocols) {
        Object decision = TlsGuardHooks.protocols(self, protocols, method);
        if (decision instanceof String[]) {
            protocols = (String[]) decision;
            return null;
        }
        return decision instanceof Throwable ? (Throwable) decision : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Throwable denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (denial != null) {
            thrown = denial;
        }
    }
}
