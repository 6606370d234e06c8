/**
 * The Byte Buddy advice inlined into JDK (and providers') classes: each calls one method of
 * {@link io.tlsguard.bootstrap.TlsGuardHooks} and applies the decision it returns. Every
 * {@code @Advice.OnMethodEnter/Exit} has {@code suppress = Throwable.class}: a hook never breaks the host.
 *
 * <p>May use: the bootstrap runtime and {@code java.lang} only, since this code runs as part of classes
 * of the bootstrap loader. Named by string (package and simple name) in {@code weaving.AdviceWeaver}.
 */
package io.tlsguard.agent.hooks.advice;
