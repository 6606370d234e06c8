package io.tlsguard.agent.weaving;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;

/**
 * Puts the bootstrap runtime ({@code io.tlsguard.bootstrap}) into the bootstrap class loader, where
 * advice inlined into JDK classes can see it. Only these few dependency-free classes join it, never
 * Byte Buddy or Jackson. Must run before anything loads them through the application class loader.
 *
 * <p>The classes are defined directly in the bootstrap loader (Java 9+ through jdk.internal.misc.Unsafe,
 * Java 8 through sun.misc.Unsafe). Appending a jar to the bootstrap class path would work too, but with
 * class data sharing on (the default since JDK 12) the JVM then prints "Sharing is only supported for
 * boot loader classes because bootstrap classpath has been appended" on the host's stderr, and on Java 8
 * that jar would be a file in a temporary directory that the JVM opens again later, by name: a directory
 * another user might be able to write. Defining the bytes leaves nothing on disk to swap.
 */
public final class BootstrapInjector {
    /** In definition order: an interface before the class that uses it. */
    static final String[] CLASSES = {"io.tlsguard.bootstrap.HookHandler", "io.tlsguard.bootstrap.TlsGuardHooks"};

    private BootstrapInjector() {}

    /** Whether an earlier start (an earlier attach) already injected the runtime. */
    static boolean injected() {
        try {
            Class.forName(CLASSES[CLASSES.length - 1], false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void inject(Instrumentation instrumentation) throws Exception {
        if (injected()) {
            return;
        }
        if (ModuleAccess.supported()) { // jdk.internal.misc.Unsafe, called directly (no reflection: see ModuleAccess)
            ModuleAccess.exportToAgent(instrumentation, "jdk.internal.misc");
            for (String name : CLASSES) {
                ModuleAccess.defineInBootLoader(name, bytes(name));
            }
            return;
        }
        // Java 8: sun.misc.Unsafe, by reflection (which is cheap there: no method handles behind it)
        Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        Method define = unsafe.getClass()
                .getMethod(
                        "defineClass",
                        String.class,
                        byte[].class,
                        int.class,
                        int.class,
                        ClassLoader.class,
                        ProtectionDomain.class);
        for (String name : CLASSES) {
            byte[] bytes = bytes(name);
            define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        }
    }

    private static String path(String className) {
        return className.replace('.', '/') + ".class";
    }

    /** The class file from the agent jar, read as a resource: the class itself is never loaded here. */
    static byte[] bytes(String className) throws IOException {
        try (InputStream in = BootstrapInjector.class.getClassLoader().getResourceAsStream(path(className))) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + path(className));
            }
            return ClassFiles.readAll(in);
        }
    }
}
