package io.tlsguard.agent.weaving;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Inlines tlsguard's Byte Buddy {@link Advice} into the hooked methods of one class file: which advice
 * goes on which method is the table in {@link #hooksFor}. Advice is inlined without class format
 * changes (no new members), so the same bytes serve at startup, at attach (retransformation) and can be
 * dropped again on detach.
 *
 * <p>Byte Buddy's {@code AgentBuilder} would do the same with far more of Byte Buddy loaded and run
 * (its matchers, listeners, type strategies, redefinition machinery...): in a JVM's startup, where all
 * of it runs cold, that doubled tlsguard's cost. Here only {@code Advice}, the type pool and ASM run,
 * and each advice class is read once, when a class first needs it.
 */
final class AdviceWeaver {
    /** One advice and the methods of a class it goes on. */
    private static final class Hook {
        final String advice;
        final ElementMatcher<? super MethodDescription> methods;

        Hook(String advice, ElementMatcher<? super MethodDescription> methods) {
            this.advice = advice;
            this.methods = methods;
        }
    }

    private static final String ADVICE = "io.tlsguard.agent.hooks.advice.";
    private static final String STRING = "java.lang.String";
    /** Method descriptors compare as strings: no type of the signature is described or loaded. */
    private static final String SET_STRINGS = "([Ljava/lang/String;)V";

    private final ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
    /** Advice classes are described from their class files: no reflection, no annotation proxies. */
    private final TypePool advicePool = TypePool.Default.WithLazyResolution.of(agentClasses);
    private final ConcurrentHashMap<String, Advice> advice = new ConcurrentHashMap<>();

    /**
     * The hooks of a class by its name; any other name is a socket, server socket or engine
     * implementation (the JDK's three, or a provider's that {@link ProviderClassFilter} found).
     */
    private static List<Hook> hooksFor(String className) {
        List<Hook> hooks = new ArrayList<>(3);
        switch (className) {
            case "javax.net.ssl.SSLContext":
                hooks.add(new Hook("ContextProtocolAdvice", named("getInstance").and(isStatic()).and(takesArgument(0, named(STRING)))));
                break;
            case "javax.net.ssl.SSLParameters":
                hooks.add(new Hook("ProtocolsAdvice", named("setProtocols").and(hasDescriptor(SET_STRINGS))));
                break;
            case "sun.security.ssl.HandshakeContext":
                hooks.add(new Hook("HandshakeStartAdvice", isConstructor().and(takesArguments(2))
                        .and(takesArgument(1, named("sun.security.ssl.TransportContext")))));
                break;
            case "sun.security.ssl.TransportContext":
                hooks.add(new Hook("HandshakeFinishedAdvice", named("finishHandshake").and(takesArguments(0))));
                hooks.add(new Hook("FatalAdvice", named("fatal").and(takesArguments(4))));
                break;
            default:
                hooks.add(new Hook("ProtocolsAdvice", named("setEnabledProtocols").and(hasDescriptor(SET_STRINGS))
                        .and(not(isAbstract()))));
                hooks.add(new Hook("ParametersAdvice", named("setSSLParameters")
                        .and(hasDescriptor("(Ljavax/net/ssl/SSLParameters;)V")).and(not(isAbstract()))));
                hooks.add(new Hook("AcceptAdvice", named("accept").and(takesArguments(0)).and(not(isAbstract()))));
                break;
        }
        return hooks;
    }

    /** @return the class file with the advice inlined, or null when no method of it is hooked */
    byte[] weave(ClassLoader loader, String internalName, byte[] classFile) {
        String className = internalName.replace('/', '.');
        ClassFileLocator classes = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(className, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), classes,
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(className).resolve();

        List<AsmVisitorWrapper.ForDeclaredMethods> wrappers = new ArrayList<>(3);
        for (Hook hook : hooksFor(className)) {
            if (!type.getDeclaredMethods().filter(hook.methods).isEmpty()) {
                wrappers.add(advice(hook.advice).on(hook.methods));
            }
        }
        if (wrappers.isEmpty()) {
            return null;
        }
        int readerFlags = AsmVisitorWrapper.NO_FLAGS;
        int writerFlags = AsmVisitorWrapper.NO_FLAGS;
        for (AsmVisitorWrapper wrapper : wrappers) {
            readerFlags = wrapper.mergeReader(readerFlags);
            writerFlags = wrapper.mergeWriter(writerFlags);
        }
        ClassReader reader = OpenedClassReader.of(classFile);
        ClassWriter writer = new ClassWriter(reader, writerFlags);
        ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
        // as Byte Buddy's own decorating type writer does: frames expanded from Java 6 on, none before
        Implementation.Context.FrameGeneration frames = version.isAtLeast(ClassFileVersion.JAVA_V6)
                ? Implementation.Context.FrameGeneration.EXPAND : Implementation.Context.FrameGeneration.DISABLED;
        Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE.make(type,
                new AuxiliaryType.NamingStrategy.Suffixing("tlsguard"), TypeInitializer.None.INSTANCE, version, version, frames);
        ClassVisitor visitor = writer;
        for (AsmVisitorWrapper wrapper : wrappers) {
            visitor = wrapper.wrap(type, visitor, context, pool, type.getDeclaredFields(), type.getDeclaredMethods(),
                    writerFlags, readerFlags);
        }
        reader.accept(visitor, readerFlags);
        return writer.toByteArray();
    }

    private Advice advice(String simpleName) {
        Advice made = advice.get(simpleName);
        if (made == null) {
            made = Advice.to(advicePool.describe(ADVICE + simpleName).resolve(), agentClasses);
            advice.putIfAbsent(simpleName, made);
        }
        return made;
    }
}
