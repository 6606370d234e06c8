package io.tlsguard.agent;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
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
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the hooks with Byte Buddy. Advice is inlined (no class format changes), so the same
 * transformer works at startup, on classes already loaded at dynamic attach (retransformation), and can
 * be removed to give back the original bytecode on detach.
 *
 * <p>Hooked: the public JSSE API ({@code SSLContext.getInstance}, {@code SSLParameters.setProtocols},
 * {@code setEnabledProtocols}/{@code setSSLParameters}/{@code accept} of every socket, server socket and
 * engine implementation, the JDK's and any provider's) and three JDK-internal points of
 * {@code sun.security.ssl} (handshake start, finish and fatal failure) that exist on JDK 8u261+ and 11+.
 *
 * <p>Cost: a JVM loads thousands of classes and every one passes through a registered transformer.
 * {@link JsseClassFilter} answers for almost all of them from the class name alone, before Byte Buddy
 * sees them; and only the few hooked classes already loaded are retransformed, not every class.
 */
final class Installer {
    /** Transformation errors: counted for status, never printed (a missed hook must not disturb the host). */
    static final AtomicLong ERRORS = new AtomicLong();

    private final Instrumentation instrumentation;
    private final ClassFileTransformer transformer;

    private Installer(Instrumentation instrumentation, ClassFileTransformer transformer) {
        this.instrumentation = instrumentation;
        this.transformer = transformer;
    }

    static Installer install(Instrumentation instrumentation) {
        Installer installer = new Installer(instrumentation, new JsseClassFilter(hooks().makeRaw()));
        instrumentation.addTransformer(installer.transformer, true);
        installer.retransformLoaded(); // classes loaded before tlsguard (at attach: maybe all of them) get the hooks
        return installer;
    }

    /** Detach: the transformer goes, and retransforming the hooked classes gives back their original bytecode. */
    void uninstall() {
        instrumentation.removeTransformer(transformer);
        retransformLoaded();
    }

    private void retransformLoaded() {
        for (Class<?> type : loadedTargets(instrumentation)) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Throwable e) {
                ERRORS.incrementAndGet();
            }
        }
    }

    private static AgentBuilder hooks() {
        return agentBuilder()
                .disableClassFormatChanges()
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorCounter())
                // JDK classes are the point, so Byte Buddy's default ignore of the bootstrap loader is replaced;
                // names only: a matcher that needs a class's modifiers or hierarchy makes Byte Buddy parse
                // the class file of every class it is asked about
                .ignore(nameStartsWith("io.tlsguard.").or(nameStartsWith("net.bytebuddy.")).or(nameContains("$$Lambda")))
                .type(named("javax.net.ssl.SSLContext"))
                .transform(advice(Advice.to(ContextProtocolAdvice.class)
                        .on(named("getInstance").and(isStatic()).and(takesArgument(0, String.class)))))
                .type(named("javax.net.ssl.SSLParameters"))
                .transform(advice(Advice.to(ProtocolsAdvice.class)
                        .on(named("setProtocols").and(takesArguments(String[].class)))))
                .type(jsseImplementations())
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
                        .on(named("fatal").and(takesArguments(4)))));
    }

    /** Names of the classes hooked by name (everything else hooked is a provider's subtype). */
    static final java.util.Set<String> NAMED = new java.util.HashSet<>(java.util.Arrays.asList(
            "javax.net.ssl.SSLContext", "javax.net.ssl.SSLParameters", "sun.security.ssl.SSLSocketImpl",
            "sun.security.ssl.SSLServerSocketImpl", "sun.security.ssl.SSLEngineImpl", "sun.security.ssl.HandshakeContext",
            "sun.security.ssl.TransportContext"));

    /**
     * The classes already loaded that the matchers would pick: the retransformation at start (or at attach,
     * with ~10,000 classes loaded) then touches a handful of classes instead of testing them all.
     */
    private static java.util.Set<Class<?>> loadedTargets(Instrumentation instrumentation) {
        java.util.Set<Class<?>> targets = new java.util.HashSet<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (NAMED.contains(type.getName())
                    || (!type.isInterface() && !isPlatform(type.getName()) && instrumentation.isModifiableClass(type)
                        && (SSLSocket.class.isAssignableFrom(type) || SSLServerSocket.class.isAssignableFrom(type)
                            || SSLEngine.class.isAssignableFrom(type)))) {
                targets.add(type);
            }
        }
        return targets;
    }

    static boolean isPlatform(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.");
    }

    /**
     * Socket, server socket and engine implementations: the JDK's by name; any other provider's (Bouncy
     * Castle, Conscrypt...) by a subtype test, which needs the class hierarchy and so is never asked of the
     * JDK's own classes (the bulk of what a JVM loads).
     */
    private static ElementMatcher.Junction<TypeDescription> jsseImplementations() {
        ElementMatcher.Junction<TypeDescription> platform = nameStartsWith("java.").or(nameStartsWith("javax."))
                .or(nameStartsWith("jdk.")).or(nameStartsWith("sun.")).or(nameStartsWith("com.sun."));
        return named("sun.security.ssl.SSLSocketImpl").or(named("sun.security.ssl.SSLServerSocketImpl"))
                .or(named("sun.security.ssl.SSLEngineImpl"))
                .or(not(platform).and(not(isInterface()))
                        .and(isSubTypeOf(SSLSocket.class).or(isSubTypeOf(SSLServerSocket.class)).or(isSubTypeOf(SSLEngine.class))));
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
            return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED));
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
