package io.tlsguard.agent.weaving;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ModuleAccess} on Java 9+: loaded only where {@code java.lang.Module} exists. Java 8 bytecode that
 * names Java 9 API, compiled against the build JDK (agent/pom.xml); it names no other tlsguard type than
 * {@link ModuleAccess}, which reaches it by loading it, never by reflection.
 */
final class ModuleSystem extends ModuleAccess {
    static {
        ModuleAccess.loaded = new ModuleSystem(); // the probe's handover: see ModuleAccess.loaded
    }

    private ModuleSystem() {}

    @Override
    void exportToAgentModule(Instrumentation instrumentation, String javaBasePackage) {
        redefineJavaBase(
                instrumentation,
                Collections.<Module>emptySet(),
                Collections.singletonMap(javaBasePackage, Collections.singleton(agentModule())),
                Collections.<String, Set<Module>>emptyMap());
    }

    @Override
    void defineInBootstrapLoader(String name, byte[] classFile) {
        // exported to the agent's module just before (exportToAgentModule): resolved only now, on first execution
        jdk.internal.misc.Unsafe.getUnsafe().defineClass(name, classFile, 0, classFile.length, null, null);
    }

    @Override
    void grantJsseAccess(Instrumentation instrumentation, Class<?> bootstrapRuntime) {
        Set<Module> agent = Collections.singleton(agentModule());
        Map<String, Set<Module>> opens = new HashMap<>();
        opens.put("sun.security.ssl", agent);
        // SSLContext's provider object: a failed handshake knows its context only by that (issue 11)
        opens.put("javax.net.ssl", agent);
        redefineJavaBase(
                instrumentation,
                Collections.singleton(bootstrapRuntime.getModule()),
                Collections.<String, Set<Module>>emptyMap(),
                opens);
    }

    private static Module agentModule() {
        return ModuleSystem.class.getModule();
    }

    private static void redefineJavaBase(
            Instrumentation instrumentation,
            Set<Module> reads,
            Map<String, Set<Module>> exports,
            Map<String, Set<Module>> opens) {
        instrumentation.redefineModule(
                Object.class.getModule(),
                reads,
                exports,
                opens,
                Collections.<Class<?>>emptySet(),
                Collections.<Class<?>, List<Class<?>>>emptyMap());
    }
}
