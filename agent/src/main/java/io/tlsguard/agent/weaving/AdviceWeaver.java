package io.tlsguard.agent.weaving;

import io.tlsguard.agent.hooks.HookPoint;
import io.tlsguard.agent.hooks.HookTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * goes on which method is {@link HookTable}. Advice is inlined without class format
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

        Hook(HookPoint point) {
            this.advice = point.advice();
            this.methods = new ShapeMatcher(point);
        }
    }

    /** A method of the name and shape a {@link HookPoint} gives; on an implementation, only a concrete one. */
    private static final class ShapeMatcher extends ElementMatcher.Junction.AbstractBase<MethodDescription> {
        private final HookPoint point;

        ShapeMatcher(HookPoint point) {
            this.point = point;
        }

        @Override
        public boolean matches(MethodDescription method) {
            if (point.isConstructor()
                    ? !method.isConstructor()
                    : !(method.isMethod() && method.getName().equals(point.method()))) {
                return false;
            }
            if ((point.isStatic() && !method.isStatic()) || (point.onSslImplementations() && method.isAbstract())) {
                return false;
            }
            return point.acceptsDescriptor(method.getDescriptor()); // a string: no type of the signature is described
        }
    }

    private static final String ADVICE = "io.tlsguard.agent.hooks.advice.";
    /** The table's hooks by class name; {@link HookPoint#SSL_IMPLEMENTATIONS} for every other class. */
    private static final Map<String, List<Hook>> HOOKS = hooksByClass();
    /** A provider's socket or engine: the hooks of every implementation, and those of implementations outside the JDK. */
    private static final List<Hook> PROVIDER_HOOKS = providerHooks();

    private final ClassFileLocator agentClasses =
            ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
    /** Advice classes are described from their class files: no reflection, no annotation proxies. */
    private final TypePool advicePool = TypePool.Default.WithLazyResolution.of(agentClasses);

    private final ConcurrentHashMap<String, Advice> advice = new ConcurrentHashMap<>();

    private static Map<String, List<Hook>> hooksByClass() {
        Map<String, List<Hook>> hooks = new HashMap<>();
        for (HookPoint point : HookTable.ALL) {
            List<Hook> forClass = hooks.get(point.owner());
            if (forClass == null) {
                forClass = new ArrayList<>(3);
                hooks.put(point.owner(), forClass);
            }
            forClass.add(new Hook(point));
        }
        return hooks;
    }

    private static List<Hook> providerHooks() {
        List<Hook> hooks = new ArrayList<>(HOOKS.get(HookPoint.SSL_IMPLEMENTATIONS));
        List<Hook> providersOnly = HOOKS.get(HookPoint.PROVIDER_IMPLEMENTATIONS);
        if (providersOnly != null) {
            hooks.addAll(providersOnly);
        }
        return hooks;
    }

    /**
     * The hooks of a class by its name; any other name is a socket, server socket or engine
     * implementation (the JDK's three, or a provider's that {@link ProviderClassFilter} found).
     */
    private static List<Hook> hooksFor(String className, ClassLoader loader) {
        List<Hook> hooks = HOOKS.get(className);
        if (hooks != null) {
            return hooks;
        }
        return HookTargets.isJdk(loader) ? HOOKS.get(HookPoint.SSL_IMPLEMENTATIONS) : PROVIDER_HOOKS;
    }

    /** @return the class file with the advice inlined, or null when no method of it is hooked */
    byte[] weave(ClassLoader loader, String internalName, byte[] classFile) {
        String className = internalName.replace('/', '.');
        ClassFileLocator classes = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(className, classFile),
                loader == null
                        ? ClassFileLocator.ForClassLoader.ofBootLoader()
                        : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = new TypePool.Default.WithLazyResolution(
                new TypePool.CacheProvider.Simple(), classes, TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(className).resolve();

        List<AsmVisitorWrapper.ForDeclaredMethods> wrappers = new ArrayList<>(3);
        for (Hook hook : hooksFor(className, loader)) {
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
                ? Implementation.Context.FrameGeneration.EXPAND
                : Implementation.Context.FrameGeneration.DISABLED;
        Implementation.Context context = Implementation.Context.Disabled.Factory.INSTANCE.make(
                type,
                new AuxiliaryType.NamingStrategy.Suffixing("tlsguard"),
                TypeInitializer.None.INSTANCE,
                version,
                version,
                frames);
        ClassVisitor visitor = writer;
        for (AsmVisitorWrapper wrapper : wrappers) {
            visitor = wrapper.wrap(
                    type,
                    visitor,
                    context,
                    pool,
                    type.getDeclaredFields(),
                    type.getDeclaredMethods(),
                    writerFlags,
                    readerFlags);
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
