package io.tlsguard.agent.weaving;

import java.lang.instrument.ClassFileTransformer;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.security.ProtectionDomain;

/**
 * The transformer the JVM calls for every class it loads. Byte Buddy ({@link AdviceWeaver}) is the last
 * resort, made on first need ({@link #weaver}):
 * <ul>
 * <li>a JDK class is answered from its name alone: every one but the seven hooked ones goes by;</li>
 * <li>a hooked JDK class is taken from the {@link TransformCache} when an earlier run transformed the
 *     very same class file with the very same agent, else Byte Buddy transforms it (and it is stored); at
 *     startup both happen ahead, on {@link WeaveAhead}'s thread, before the host loads the class;</li>
 * <li>a class outside the JDK reaches Byte Buddy only if {@link ProviderClassFilter} finds a JSSE base
 *     class among its superclasses (a provider's socket or engine).</li>
 * </ul>
 * So a JVM that starts again with a warm cache never loads Byte Buddy, and one that never uses TLS loads it at
 * most on its first start with a given cache (to weave {@code SSLContext} ahead), never with {@code cache=off}.
 */
final class HookTransformer implements ClassFileTransformer {
    private final TransformCache cache;
    private final ProviderClassFilter providers = new ProviderClassFilter();
    private volatile AdviceWeaver weaver;
    private boolean weaverFailed;
    /** Set while this thread makes the weaver: a hooked class that this loads goes unhooked, not deadlocked. */
    private final ThreadLocal<Boolean> making = new ThreadLocal<>();
    /** At startup: the hooked JDK classes made ready beforehand, else null. */
    private volatile WeaveAhead ahead;

    HookTransformer(TransformCache cache) {
        this.cache = cache;
    }

    /** At startup, before this is registered: the hooked JDK classes are woven (or read from the cache) ahead. */
    WeaveAhead weaveAhead() {
        WeaveAhead started = WeaveAhead.start(this, cache);
        ahead = started;
        return started;
    }

    @Override
    public byte[] transform(
            ClassLoader loader,
            String internalName,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classFile) {
        // a class loads on whatever thread needs it, maybe under sandboxed code: the cache's files, the
        // class files of providers' superclasses and Byte Buddy are tlsguard's business, with its permissions
        return System.getSecurityManager() == null
                ? hookSafely(loader, internalName, classFile)
                : hookPrivileged(loader, internalName, classFile);
    }

    /**
     * Runs what the transformer does for almost every class once, before it is registered, so that the
     * tlsguard classes it needs are loaded by then: for a JDK class (its name alone), and for a class
     * outside the JDK whose superclass is read as a resource, privileged as under a security manager.
     *
     * <p>Why: once registered, the JVM calls it for every class any thread defines. A tlsguard class first
     * loaded from inside it would be defined there, under that class's loading lock, and every agent's
     * transformer runs for it; another agent's that waits for a class being loaded on a second thread
     * (OpenTelemetry's matchers take a lock and may load a JDK class) then waits for a thread that is itself in this
     * transformer, waiting for that loading lock: both threads hang for good. The compatibility matrix met it
     * (docs/how-it-works.md). The rare paths (a hooked class: the cache, Byte Buddy) still load classes,
     * but only for the seven hooked JDK classes and providers' sockets, which no agent's matcher waits for.
     */
    void warmUp() {
        hookSafely(null, "java/lang/Object", new byte[0]);
        String name = "tlsguard/WarmUp";
        hookPrivileged(
                HookTransformer.class.getClassLoader(),
                name,
                ClassFiles.emptyClass(name, HookTransformer.class.getName().replace('.', '/')));
        HookErrors.count(); // loads the class of its failure path, which runs inside the transformer too
    }

    private byte[] hookPrivileged(final ClassLoader loader, final String internalName, final byte[] classFile) {
        return AccessController.doPrivileged(new PrivilegedAction<byte[]>() {
            @Override
            public byte[] run() {
                return hookSafely(loader, internalName, classFile);
            }
        });
    }

    private byte[] hookSafely(ClassLoader loader, String internalName, byte[] classFile) {
        try {
            return hook(loader, internalName, classFile);
        } catch (Throwable e) { // the host's class loads as it is: never disturbed by tlsguard
            HookErrors.failed(internalName == null ? "?" : internalName.replace('/', '.'), e);
            return null;
        }
    }

    private byte[] hook(ClassLoader loader, String internalName, byte[] classFile) {
        if (internalName == null || internalName.startsWith("io/tlsguard/")) {
            return null;
        }
        String name = internalName.replace('/', '.');
        // by name: a hooked JDK class, or a library's (OkHttp's) from an application loader; both through the
        // cache, so a warm start of a program using them never loads Byte Buddy
        if (HookTargets.isNamed(name) || HookTargets.isLibrary(name, loader)) {
            WeaveAhead early = ahead;
            WeaveAhead.Ready ready = early != null && loader == null ? early.take(internalName, classFile) : null;
            if (ready != null) {
                return ready.transformed;
            }
            return cachedOrWoven(loader, internalName, classFile);
        }
        if (HookTargets.isJdk(loader)
                || internalName.contains("$$Lambda")
                || !providers.mayImplementSsl(loader, classFile)) {
            return null;
        }
        return weave(loader, internalName, classFile);
    }

    /** A class hooked by name: from the cache when an earlier run wove this very class file, else woven and stored. */
    byte[] cachedOrWoven(ClassLoader loader, String internalName, byte[] classFile) {
        byte[] cached = cache.lookup(internalName, classFile);
        if (cached != null) {
            return cached;
        }
        byte[] transformed = weave(loader, internalName, classFile);
        if (transformed != null) {
            cache.store(internalName, classFile, transformed);
        }
        return transformed;
    }

    byte[] weave(ClassLoader loader, String internalName, byte[] classFile) {
        AdviceWeaver made = weaver();
        return made == null ? null : made.weave(loader, internalName, classFile);
    }

    /**
     * The Byte Buddy part, made when a class first needs it: it loads a few hundred Byte Buddy classes
     * and runs them cold, a cost that a JVM which finds its hooked classes in the {@link TransformCache}
     * (or never uses TLS and has no cache to weave ahead for) does not pay. Null if it cannot be made.
     */
    private AdviceWeaver weaver() {
        AdviceWeaver made = weaver;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (weaver == null && !weaverFailed && making.get() == null) {
                making.set(Boolean.TRUE);
                try {
                    weaver = new AdviceWeaver();
                } catch (Throwable e) {
                    weaverFailed = true;
                    HookErrors.failed("anything (Byte Buddy)", e);
                } finally {
                    making.remove();
                }
            }
            return weaver;
        }
    }
}
