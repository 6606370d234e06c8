package io.tlsguard.agent.weaving;

import io.tlsguard.agent.hooks.HookTable;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * Which classes get hooks: the JDK classes hooked by name ({@link HookTable#NAMED_CLASSES}), and any
 * other class that implements a socket, server socket or engine (a provider's). Asked by the transformer
 * for every class that loads, and by the installer for the classes already loaded. What counts as the JDK's
 * is decided here, by who defines a class or where its class file lies, never by its package.
 */
final class HookTargets {
    private HookTargets() {}

    static boolean isNamed(String className) {
        return HookTable.NAMED_CLASSES.contains(className);
    }

    /**
     * A library class hooked by name (OkHttp's {@code ConnectionSpec}...), defined by an application's
     * loader: a class of that name from the bootstrap or platform loader is not the library.
     */
    static boolean isLibrary(String className, ClassLoader loader) {
        return loader != null && loader != PLATFORM && HookTable.LIBRARY_CLASSES.contains(className);
    }

    private static final ClassLoader PLATFORM = platformLoader();

    private static ClassLoader platformLoader() {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        while (loader != null && loader.getParent() != null) {
            loader = loader.getParent();
        }
        return loader; // the platform (Java 8: extension) loader, the last below the bootstrap loader
    }

    /**
     * Whether {@code loader} is the JDK's, so that what it defines is a JDK class: hooked only if named, never a
     * provider's socket or engine. The bootstrap loader, and on Java 9+ the platform loader. Not a package name:
     * a library may use any package but {@code java.*} ({@code javax.mail} is one), and one that implemented a
     * socket there would otherwise escape the provider hooks. Java 8's extension loader is not the JDK's either:
     * {@code lib/ext} holds what a host installs there too (often Bouncy Castle).
     */
    static boolean isJdk(ClassLoader loader) {
        return loader == null || (loader == PLATFORM && PLATFORM_IS_JDK);
    }

    /** Java 9+: the platform loader defines JDK modules only. Read once, before the transformer is added. */
    private static final boolean PLATFORM_IS_JDK = ModuleAccess.supported();

    /** Java 8: the directory of the bootstrap loader's jars (not lib/ext, which holds libraries too); 9+: null. */
    private static final File JAVA8_LIB =
            PLATFORM_IS_JDK ? null : new File(System.getProperty("java.home"), "lib").getAbsoluteFile();

    /**
     * A class name only the JDK can define: the JVM refuses {@code java.*} from any loader but the bootstrap
     * loader. The one test by name, for a superclass that is known by name only.
     */
    static boolean isJavaPackage(String internalName) {
        return internalName.startsWith("java/");
    }

    /**
     * A class file of the JDK: in the run-time image (Java 9+), or in one of the jars of Java 8's {@code lib}
     * directory, which the bootstrap loader reads. By where it lies, not by its name.
     */
    static boolean isJdkClassFile(URL classFile) {
        if ("jrt".equals(classFile.getProtocol())) {
            return true;
        }
        String file = classFile.getFile(); // jar:file:/.../jre/lib/rt.jar!/sun/reflect/MethodAccessorImpl.class
        int entry = file.indexOf("!/");
        if (JAVA8_LIB == null || !"jar".equals(classFile.getProtocol()) || entry < 0) {
            return false;
        }
        try {
            return JAVA8_LIB.equals(new File(new URI(file.substring(0, entry))).getParentFile());
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
            return false;
        }
    }

    /**
     * A loaded class that implements a socket, server socket or engine: one of its superclasses is in
     * {@link HookTable#SSL_BASE_TYPES} (all classes, not interfaces, so superclasses are enough). By name,
     * as {@link ProviderClassFilter} decides for a class that loads.
     */
    static boolean isSslImplementation(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (HookTable.SSL_BASE_TYPES.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }
}
