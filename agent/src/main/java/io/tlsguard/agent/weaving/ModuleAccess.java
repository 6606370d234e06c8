package io.tlsguard.agent.weaving;

import java.lang.instrument.Instrumentation;

/**
 * Java 9+ module edges tlsguard needs, granted through {@code Instrumentation.redefineModule} (the
 * supported way for an agent): {@code java.base} must read the bootstrap runtime's (unnamed) module to
 * call the hooks inlined into it, and must open {@code sun.security.ssl} (and {@code javax.net.ssl}, for an
 * {@code SSLContext}'s provider object) to the agent, and to no one else, so that {@code jsse.JsseInternals}
 * can read handshake state. On Java 8 there are no modules and nothing is done.
 *
 * <p>Plain Java 8: this class names no module type. On Java 9+ it loads {@code ModuleSystem} (src/main/jdk9,
 * Java 8 bytecode compiled against the build JDK's API), which calls {@code Module} and {@code redefineModule}
 * directly. Not by reflection: on JDK 18+ each reflective method's first call builds method handles (JEP 416),
 * which cost a start ~30-45 ms on JDK 25 for the four methods involved (docs/performance.md).
 */
public abstract class ModuleAccess {
    static final String IMPLEMENTATION = "io.tlsguard.agent.weaving.ModuleSystem";

    /** Set by {@code ModuleSystem}'s static initializer when {@link Jdk9} loads it: no reflection runs. */
    static volatile ModuleAccess loaded;

    /** The module system's side, or null on Java 8: probed when first asked. */
    private static final class Jdk9 {
        static final ModuleAccess INSTANCE = probe();

        private static ModuleAccess probe() {
            try {
                Class.forName("java.lang.Module", false, null);
            } catch (ClassNotFoundException java8) {
                return null;
            }
            try {
                Class.forName(IMPLEMENTATION, true, ModuleAccess.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("tlsguard's jar lacks its module code: " + e);
            }
            return loaded;
        }
    }

    static boolean supported() {
        return Jdk9.INSTANCE != null;
    }

    /** Exports a java.base package to the agent (for the bootstrap injection on Java 9+). */
    static void exportToAgent(Instrumentation instrumentation, String javaBasePackage) {
        Jdk9.INSTANCE.exportToAgentModule(instrumentation, javaBasePackage);
    }

    /** Defines a class in the bootstrap loader (Java 9+, after {@link #exportToAgent} of jdk.internal.misc). */
    static void defineInBootLoader(String name, byte[] classFile) {
        Jdk9.INSTANCE.defineInBootstrapLoader(name, classFile);
    }

    /** @return null when done (or not needed), else why it failed */
    public static String grant(Instrumentation instrumentation, Class<?> bootstrapRuntime) {
        if (!supported()) {
            return null;
        }
        try {
            Jdk9.INSTANCE.grantJsseAccess(instrumentation, bootstrapRuntime);
            return null;
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    abstract void exportToAgentModule(Instrumentation instrumentation, String javaBasePackage);

    abstract void defineInBootstrapLoader(String name, byte[] classFile);

    abstract void grantJsseAccess(Instrumentation instrumentation, Class<?> bootstrapRuntime);
}
