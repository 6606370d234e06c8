package io.tlsguard.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

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
final class Installer {
    /** Transformation errors: counted for status, never printed (a missed hook must not disturb the host). */
    static final AtomicLong ERRORS = new AtomicLong();

    /** Names of the classes hooked by name (everything else hooked is a provider's subtype). */
    static final Set<String> NAMED = new HashSet<>(Arrays.asList(
            "javax.net.ssl.SSLContext", "javax.net.ssl.SSLParameters", "sun.security.ssl.SSLSocketImpl",
            "sun.security.ssl.SSLServerSocketImpl", "sun.security.ssl.SSLEngineImpl", "sun.security.ssl.HandshakeContext",
            "sun.security.ssl.TransportContext"));

    private final Instrumentation instrumentation;
    private final TransformCache cache;
    private final ClassFileTransformer transformer;
    private volatile AdviceWeaver weaver;
    private boolean weaverFailed;
    /** Set while this thread makes the weaver: a hooked class that this loads goes unhooked, not deadlocked. */
    private final ThreadLocal<Boolean> making = new ThreadLocal<>();

    private Installer(Instrumentation instrumentation, TransformCache cache) {
        this.instrumentation = instrumentation;
        this.cache = cache;
        this.transformer = new HookTransformer(this, cache);
    }

    /** @param cacheOption the {@code cache=} option: null for the default directory, "off", or a directory */
    static Installer install(Instrumentation instrumentation, String cacheOption) {
        Installer installer = new Installer(instrumentation, TransformCache.open(cacheOption));
        instrumentation.addTransformer(installer.transformer, true);
        installer.retransformLoaded(); // classes loaded before tlsguard (at attach: maybe all of them) get the hooks
        return installer;
    }

    /** Detach: the transformer goes, and retransforming the hooked classes gives back their original bytecode. */
    void uninstall() {
        instrumentation.removeTransformer(transformer);
        retransformLoaded();
    }

    /** For status: where transformed classes are cached (or why not). */
    String cacheDescription() {
        return cache.describe();
    }

    private void retransformLoaded() {
        for (Class<?> type : loadedTargets(instrumentation)) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Throwable e) {
                failed(type.getName(), e);
            }
        }
    }

    /**
     * The Byte Buddy part, made when a class first needs it: it loads a few hundred Byte Buddy classes
     * and runs them cold, a cost that a JVM which never uses TLS (or finds its hooked classes in the
     * {@link TransformCache}) does not pay. Null if it cannot be made.
     */
    AdviceWeaver weaver() {
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
                    failed("anything (Byte Buddy)", e);
                } finally {
                    making.remove();
                }
            }
            return weaver;
        }
    }

    /** A hook that could not be made: counted for status, printed only with -Dtlsguard.debug=true. */
    static void failed(String what, Throwable e) {
        ERRORS.incrementAndGet();
        if (Boolean.getBoolean("tlsguard.debug")) {
            System.err.println("tlsguard: could not hook " + what + ": " + e);
        }
    }

    /**
     * The classes already loaded that the transformer would hook: the retransformation at start (or at
     * attach, with ~10,000 classes loaded) then touches a handful of classes instead of testing them all.
     */
    private static Set<Class<?>> loadedTargets(Instrumentation instrumentation) {
        Set<Class<?>> targets = new HashSet<>();
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
}
