package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * OkHttp 4's {@code ConnectionSpec(isTls, supportsTlsExtensions, cipherSuites, tlsVersions)}, which every
 * {@code ConnectionSpec.Builder.build()} calls: the protocol list a program gives OkHttp. OkHttp drops a
 * connection whose spec shares no version with the socket's enabled protocols before it calls any JSSE
 * setter, so this is where such a pin is seen and, under enforce, raised to the floor.
 *
 * <p>Inlined into OkHttp's class: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class ConnectionSpecAdvice {
    private ConnectionSpecAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 3, readOnly = false) String[] tlsVersions) {
        Object decision = TlsGuardHooks.libraryProtocols(tlsVersions);
        if (decision instanceof String[]) {
            tlsVersions = (String[]) decision;
        }
    }
}
