package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * OkHttp 3's {@code ConnectionSpec(ConnectionSpec.Builder)}, which every {@code ConnectionSpec.Builder.build()}
 * calls: the same protocol list as OkHttp 4's (see {@link ConnectionSpecAdvice}), copied from the builder into
 * the spec's {@code tlsVersions} field. Read and, under enforce, replaced there once the constructor has set it
 * (a final field, written inside its own class's constructor, as the JVM allows).
 *
 * <p>Inlined into OkHttp's class: references only the bootstrap runtime ({@link TlsGuardHooks}) and
 * {@code java.lang}.
 */
public final class ConnectionSpec3Advice {
    private ConnectionSpec3Advice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.FieldValue(value = "tlsVersions", readOnly = false) String[] tlsVersions) {
        Object decision = TlsGuardHooks.libraryProtocols(tlsVersions);
        if (decision instanceof String[]) {
            tlsVersions = (String[]) decision;
        }
    }
}
