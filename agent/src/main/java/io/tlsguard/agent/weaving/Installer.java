package io.tlsguard.agent.weaving;

import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;

/**
 * Installs the hooks: registers the {@link HookTransformer}, which inlines Byte Buddy advice
 * ({@link AdviceWeaver}) into the hooked classes as they load, and retransforms those already loaded.
 * Advice is inlined (no class format changes), so the same transformer works at startup, on classes
 * already loaded at dynamic attach (retransformation), and can be removed to give back the original
 * bytecode on detach.
 *
 * <p>Hooked: the public JSSE API ({@code SSLContext.getInstance}, {@code SSLParameters.setProtocols},
 * {@code setEnabledProtocols}/{@code setSSLParameters}/{@code accept} of every socket, server socket and
 * engine implementation, the JDK's and any provider's) and three JDK-internal points of
 * {@code sun.security.ssl} (handshake start, finish and fatal failure) that exist on JDK 8u261+ and 11+.
 *
 * <p>Cost: a JVM loads thousands of classes and every one passes through the transformer, which
 * answers for almost all of them without Byte Buddy; Byte Buddy itself is only loaded when a class
 * needs it; and only the few hooked classes already loaded are retransformed.
 */
public final class Installer {
    private final Instrumentation instrumentation;
    private final TransformCache cache;
    private final HookTransformer transformer;
    /** At startup, the hooked JDK classes made ready before the host loads them; null at attach. */
    private final WeaveAhead ahead;

    private Installer(Instrumentation instrumentation, TransformCache cache, boolean atStartup) {
        this.instrumentation = instrumentation;
        this.cache = cache;
        this.transformer = new HookTransformer(cache);
        this.ahead = atStartup ? transformer.weaveAhead() : null;
    }

    /**
     * Makes the transformer, not yet registered; at startup the hooked JDK classes start being made ready
     * at once ({@link WeaveAhead}), so the earlier this is called the less a first start waits for them.
     *
     * @param cacheOption the {@code cache=} option: null for the default directory, "off", or a directory
     * @param atStartup premain, where no hooked class is loaded yet (not an attach)
     */
    public static Installer prepare(Instrumentation instrumentation, String cacheOption, boolean atStartup) {
        return new Installer(instrumentation, TransformCache.open(cacheOption), atStartup);
    }

    /** Registers the transformer: classes loaded before tlsguard (at attach: maybe all of them) get the hooks. */
    public Installer install() {
        transformer.warmUp(); // before the JVM may call it on any thread: see there
        instrumentation.addTransformer(transformer, true);
        retransformLoaded();
        return this;
    }

    /** tlsguard did not start after all: what was being made ready ahead is dropped. */
    public void abandon() {
        if (ahead != null) {
            ahead.cancel();
        }
    }

    /** Detach: the transformer goes, and retransforming the hooked classes gives back their original bytecode. */
    public void uninstall() {
        abandon();
        instrumentation.removeTransformer(transformer);
        retransformLoaded();
    }

    /** For status: where transformed classes are cached (or why not). */
    public String cacheDescription() {
        return cache.describe();
    }

    /** For status: hooks that could not be made since the start. */
    public static long hookErrors() {
        return HookErrors.count();
    }

    /** For status: hooked classes taken from the transform cache since the start. */
    public static long cacheHits() {
        return TransformCache.HITS.get();
    }

    private void retransformLoaded() {
        for (Class<?> type : loadedTargets(instrumentation)) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Throwable e) {
                HookErrors.failed(type.getName(), e);
            }
        }
    }

    /**
     * The classes already loaded that the transformer would hook: the retransformation at start (or at
     * attach, with ~10,000 classes loaded) then touches a handful of classes instead of testing them all.
     */
    private static Set<Class<?>> loadedTargets(Instrumentation instrumentation) {
        Set<Class<?>> targets = new HashSet<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (HookTargets.isNamed(type.getName())
                    || (HookTargets.isLibrary(type.getName(), type.getClassLoader())
                            && instrumentation.isModifiableClass(type))
                    || (!type.isInterface()
                            && !HookTargets.isJdk(type.getClassLoader())
                            && instrumentation.isModifiableClass(type)
                            && HookTargets.isSslImplementation(type))) {
                targets.add(type);
            }
        }
        return targets;
    }
}
