package io.tlsguard.agent;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsguard.agent.advice.AcceptAdvice;
import io.tlsguard.agent.advice.ContextProtocolAdvice;
import io.tlsguard.agent.advice.FatalAdvice;
import io.tlsguard.agent.advice.HandshakeFinishedAdvice;
import io.tlsguard.agent.advice.HandshakeStartAdvice;
import io.tlsguard.agent.advice.ParametersAdvice;
import io.tlsguard.agent.advice.ProtocolsAdvice;
import io.tlsguard.bootstrap.TlsGuardHooks;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the hooks with Byte Buddy. Advice is inlined (no class format changes), so the same
 * transformer works at startup, on classes already loaded at dynamic attach (retransformation), and can
 * be reset to give back the original bytecode on detach.
 *
 * <p>Hooked: the public JSSE API ({@code SSLContext.getInstance}, {@code SSLParameters.setProtocols},
 * {@code setEnabledProtocols}/{@code setSSLParameters}/{@code accept} of every socket, server socket and
 * engine implementation, the JDK's and any provider's) and three JDK-internal points of
 * {@code sun.security.ssl} (handshake start, finish and fatal failure) that exist on JDK 8u261+ and 11+.
 * Matchers name those types exactly, or test the subtype relation only for the three JSSE types.
 */
final class Installer {
    /** Transformation errors: counted for status, never printed (a missed hook must not disturb the host). */
    static final AtomicLong ERRORS = new AtomicLong();

    private Installer() {
    }

    static ResettableClassFileTransformer install(Instrumentation instrumentation) {
        return agentBuilder()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorCounter())
                // JDK classes are the point, so Byte Buddy's default ignore of the bootstrap loader is replaced
                .ignore(nameStartsWith("io.tlsguard.").or(isSynthetic()).or(nameStartsWith("net.bytebuddy.")))
                .assureReadEdgeTo(instrumentation, TlsGuardHooks.class)
                .type(named("javax.net.ssl.SSLContext"))
                .transform(advice(Advice.to(ContextProtocolAdvice.class)
                        .on(named("getInstance").and(isStatic()).and(takesArgument(0, String.class)))))
                .type(named("javax.net.ssl.SSLParameters"))
                .transform(advice(Advice.to(ProtocolsAdvice.class)
                        .on(named("setProtocols").and(takesArguments(String[].class)))))
                .type(isSubTypeOf(SSLSocket.class).or(isSubTypeOf(SSLServerSocket.class)).or(isSubTypeOf(SSLEngine.class))
                        .and(not(isInterface())).and(not(nameStartsWith("javax.net.ssl."))))
                .transform(advice(Advice.to(ProtocolsAdvice.class)
                        .on(named("setEnabledProtocols").and(takesArguments(String[].class)).and(not(isAbstract())))))
                .transform(advice(Advice.to(ParametersAdvice.class)
                        .on(named("setSSLParameters").and(takesArguments(SSLParameters.class)).and(not(isAbstract())))))
                .transform(advice(Advice.to(AcceptAdvice.class)
                        .on(named("accept").and(takesArguments(0)).and(not(isAbstract())))))
                .type(named("sun.security.ssl.HandshakeContext"))
                .transform(advice(Advice.to(HandshakeStartAdvice.class)
                        .on(isConstructor().and(takesArguments(2)).and(takesArgument(1, named("sun.security.ssl.TransportContext"))))))
                .type(named("sun.security.ssl.TransportContext"))
                .transform(advice(Advice.to(HandshakeFinishedAdvice.class)
                        .on(named("finishHandshake").and(takesArguments(0)))))
                .transform(advice(Advice.to(FatalAdvice.class)
                        .on(named("fatal").and(takesArguments(4)))))
                .installOn(instrumentation);
    }

    /**
     * Byte Buddy's default builder prepares "nexus" self-injection, which tlsguard never uses (advice is
     * inlined) and which probes {@code sun.misc.Unsafe}: JDK 24+ prints deprecation warnings on the host's
     * stderr for that. The (relocated) switch below turns the probe off while the builder is made.
     */
    private static AgentBuilder agentBuilder() {
        String nexusSwitch = NEXUS_DISABLED_PROPERTY;
        String before = System.getProperty(nexusSwitch);
        System.setProperty(nexusSwitch, "true");
        try {
            return new AgentBuilder.Default();
        } finally {
            if (before == null) {
                System.clearProperty(nexusSwitch);
            } else {
                System.setProperty(nexusSwitch, before);
            }
        }
    }

    /** Byte Buddy's property name, relocated with Byte Buddy by the shade plugin like every such literal. */
    private static final String NEXUS_DISABLED_PROPERTY = "net.bytebuddy.nexus.disabled";

    private static AgentBuilder.Transformer advice(AsmVisitorWrapper visitor) {
        return (DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, JavaModule module,
                java.security.ProtectionDomain domain) -> builder.visit(visitor);
    }

    private static final class ErrorCounter extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
            ERRORS.incrementAndGet();
            if (Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: could not hook " + typeName + ": " + throwable);
            }
        }
    }
}
