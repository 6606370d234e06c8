package io.tlsguard.agent.hooks.advice;

import io.tlsguard.bootstrap.TlsGuardHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code SSLContext.getInstance(protocol[, provider])}: a legacy protocol name is reported, replaced by
 * the floor (enforce) or refused with {@code NoSuchAlgorithmException} (deny).
 *
 * <p>Inlined into {@code javax.net.ssl.SSLContext}: references only the bootstrap runtime
 * ({@link TlsGuardHooks}) and {@code java.lang}.
 */
public final class ContextProtocolAdvice {
    private ContextProtocolAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Throwable enter(@Advice.Argument(value = 0, readOnly = false) String protocol) {
        Object decision = TlsGuardHooks.contextProtocol(protocol);
        if (decision instanceof String) {
            protocol = (String) decision;
            return null;
        }
        return decision instanceof Throwable ? (Throwable) decision : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.Enter Throwable denial,
            @Advice.Return Object context,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (denial != null) {
            thrown = denial;
        }
        // so a failed handshake can name the pin of its context; null when none was made
        TlsGuardHooks.contextCreated(thrown == null ? context : null);
    }
}
