package io.tlsguard.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

/**
 * Sits in front of Byte Buddy's transformer and answers "not mine" from the class name alone for every
 * JDK class but the seven tlsguard hooks, so the thousands of JDK classes a JVM loads never reach Byte
 * Buddy (which would describe each one). Classes outside the JDK still go through: one of them may be a
 * JSSE provider's socket or engine, which only a subtype test can tell.
 */
final class JsseClassFilter implements ClassFileTransformer {
    private final ClassFileTransformer hooks;

    JsseClassFilter(ClassFileTransformer hooks) {
        this.hooks = hooks;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) throws IllegalClassFormatException {
        if (internalName == null || internalName.startsWith("io/tlsguard/")) {
            return null;
        }
        String name = internalName.replace('/', '.');
        if (Installer.isPlatform(name) && !Installer.NAMED.contains(name)) {
            return null;
        }
        return hooks.transform(loader, internalName, classBeingRedefined, protectionDomain, classFile);
    }
}
