package io.tlsguard.agent.weaving;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Java 9+ module edges tlsguard needs, granted through {@code Instrumentation.redefineModule} (the
 * supported way for an agent): {@code java.base} must read the bootstrap runtime's (unnamed) module to
 * call the hooks inlined into it, and must open {@code sun.security.ssl} (and {@code javax.net.ssl}, for an
 * {@code SSLContext}'s provider object) to the agent, and to no one else, so that {@code jsse.JsseInternals}
 * can read handshake state. On Java 8 there are no modules and nothing is done.
 * Reflective because the agent is Java 8 bytecode.
 */
public final class ModuleAccess {
    private static final Method GET_MODULE = getModuleMethod();

    private ModuleAccess() {}

    private static Method getModuleMethod() {
        try {
            return Class.class.getMethod("getModule");
        } catch (NoSuchMethodException java8) {
            return null;
        }
    }

    static boolean supported() {
        return GET_MODULE != null;
    }

    /** Exports a java.base package to the agent (for the bootstrap injection on Java 9+). */
    static void exportToAgent(Instrumentation instrumentation, String javaBasePackage) throws Exception {
        redefineJavaBase(
                instrumentation,
                Collections.emptySet(),
                Collections.singletonMap(javaBasePackage, Collections.singleton(module(ModuleAccess.class))),
                Collections.emptyMap());
    }

    /** @return null when done (or not needed), else why it failed */
    public static String grant(Instrumentation instrumentation, Class<?> bootstrapRuntime) {
        if (!supported()) {
            return null;
        }
        try {
            Set<Object> agent = Collections.singleton(module(ModuleAccess.class));
            Map<String, Set<Object>> opens = new HashMap<>();
            opens.put("sun.security.ssl", agent);
            // SSLContext's provider object: a failed handshake knows its context only by that (issue 11)
            opens.put("javax.net.ssl", agent);
            redefineJavaBase(
                    instrumentation, Collections.singleton(module(bootstrapRuntime)), Collections.emptyMap(), opens);
            return null;
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Object module(Class<?> type) throws Exception {
        return GET_MODULE.invoke(type);
    }

    private static void redefineJavaBase(
            Instrumentation instrumentation,
            Set<Object> reads,
            Map<String, Set<Object>> exports,
            Map<String, Set<Object>> opens)
            throws Exception {
        Class<?> moduleType = Class.forName("java.lang.Module");
        Method redefine = Instrumentation.class.getMethod(
                "redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class, Map.class);
        redefine.invoke(
                instrumentation,
                module(Object.class),
                reads,
                exports,
                opens,
                Collections.emptySet(),
                Collections.emptyMap());
    }
}
