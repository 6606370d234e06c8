package io.tlsguard.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.security.ProtectionDomain;

/**
 * The transformer the JVM calls for every class it loads. Byte Buddy ({@link AdviceWeaver}) is the last
 * resort, made on first need ({@link Installer#weaver}):
 * <ul>
 * <li>a JDK class is answered from its name alone: every one but the seven hooked ones goes by;</li>
 * <li>a hooked JDK class is taken from the {@link TransformCache} when an earlier run transformed the
 *     very same class file with the very same agent, else Byte Buddy transforms it (and it is stored);</li>
 * <li>a class outside the JDK reaches Byte Buddy only if {@link ProviderClassFilter} finds a JSSE base
 *     class among its superclasses (a provider's socket or engine).</li>
 * </ul>
 * So a JVM that never uses TLS, or that starts again with a warm cache, never loads Byte Buddy.
 */
final class HookTransformer implements ClassFileTransformer {
    private final Installer installer;
    private final TransformCache cache;
    private final ProviderClassFilter providers = new ProviderClassFilter();

    HookTransformer(Installer installer, TransformCache cache) {
        this.installer = installer;
        this.cache = cache;
    }

    @Override
    public byte[] transform(final ClassLoader loader, final String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, final byte[] classFile) {
        if (System.getSecurityManager() == null) {
            return hookSafely(loader, internalName, classFile);
        }
        // a class loads on whatever thread needs it, maybe under sandboxed code: the cache's files, the
        // class files of providers' superclasses and Byte Buddy are tlsguard's business, with its permissions
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
            Installer.failed(internalName == null ? "?" : internalName.replace('/', '.'), e);
            return null;
        }
    }

    private byte[] hook(ClassLoader loader, String internalName, byte[] classFile) {
        if (internalName == null || internalName.startsWith("io/tlsguard/")) {
            return null;
        }
        String name = internalName.replace('/', '.');
        if (Installer.NAMED.contains(name)) {
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
        if (Installer.isPlatform(name) || internalName.contains("$$Lambda") || !providers.mayImplementSsl(loader, classFile)) {
            return null;
        }
        return weave(loader, internalName, classFile);
    }

    private byte[] weave(ClassLoader loader, String internalName, byte[] classFile) {
        AdviceWeaver weaver = installer.weaver();
        return weaver == null ? null : weaver.weave(loader, internalName, classFile);
    }
}
