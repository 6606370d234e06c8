package io.tlsguard.agent.weaving;

import io.tlsguard.agent.hooks.HookTable;
import java.io.InputStream;
import java.net.URL;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells, for a class outside the JDK as it loads, whether it could be a JSSE provider's socket, server
 * socket or engine (Bouncy Castle's, Conscrypt's...), by walking its superclasses' class files with
 * {@link ClassHeader}. "No" is certain and costs no Byte Buddy: an application's classes go by without
 * Byte Buddy ever being loaded. "Maybe" hands the class to Byte Buddy's exact matchers.
 *
 * <p>A superclass is usually not loaded yet when its subclass is transformed (the JVM resolves it
 * afterwards), so its class file is read as a resource, as Byte Buddy's type pool would; answers are
 * remembered per class loader and name, in a bounded map, so each superclass is read once.
 */
final class ProviderClassFilter {
    /** {@link HookTable#SSL_BASE_TYPES} as internal names, as class files name their superclass. */
    private static final Set<String> SSL_BASES = internalNames(HookTable.SSL_BASE_TYPES);

    private static final int MAX_REMEMBERED = 50_000;
    private static final int MAX_DEPTH = 64;

    private final ConcurrentHashMap<String, Boolean> descendsFromSsl = new ConcurrentHashMap<>();
    /**
     * Superclasses found to be the JDK's by where their class file lies, for every loader at once: each of
     * reflection's generated accessors has a loader of its own, and all of them extend the same JDK class.
     */
    private final Set<String> jdkClasses = ConcurrentHashMap.newKeySet();

    /** For a class outside the JDK (see {@link HookTargets#isJdk}); false is certain, true is "maybe". */
    boolean mayImplementSsl(ClassLoader loader, byte[] classFile) {
        ClassHeader header = ClassHeader.read(classFile);
        return header != null && !header.isInterface && descends(loader, header.superName, 0);
    }

    private boolean descends(ClassLoader loader, String internalName, int depth) {
        if (internalName == null) {
            return false;
        }
        if (SSL_BASES.contains(internalName)) {
            return true;
        }
        if (HookTargets.isJavaPackage(internalName) || jdkClasses.contains(internalName) || depth > MAX_DEPTH) {
            return false; // JDK classes other than those bases are not JSSE sockets or engines
        }
        String key = System.identityHashCode(loader) + "/" + internalName;
        Boolean known = descendsFromSsl.get(key);
        if (known != null) {
            return known;
        }
        URL where = resource(loader, internalName);
        if (where != null && HookTargets.isJdkClassFile(where)) {
            if (jdkClasses.size() < MAX_REMEMBERED) {
                jdkClasses.add(internalName);
            }
            return false;
        }
        byte[] superClassFile = classFile(loader, internalName); // as a stream: no JarURLConnection for the URL
        ClassHeader header = superClassFile == null ? null : ClassHeader.read(superClassFile);
        // unreadable: Byte Buddy's type pool reads the same resource, so it could not tell either
        boolean result = header != null && descends(loader, header.superName, depth + 1);
        if (descendsFromSsl.size() < MAX_REMEMBERED) {
            descendsFromSsl.put(key, result);
        }
        return result;
    }

    private static Set<String> internalNames(List<String> classNames) {
        Set<String> names = new HashSet<>();
        for (String className : classNames) {
            names.add(className.replace('.', '/'));
        }
        return names;
    }

    private static URL resource(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        try {
            return loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    private static byte[] classFile(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        try (InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? null : ClassFiles.readAll(in);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
