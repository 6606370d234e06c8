package io.tlsguard.bench;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Baselines. Attached (agentmain): an agent that does nothing measures the attach mechanism alone. At
 * startup (premain): an agent with the JVMTI capabilities tlsguard uses and one retransforming transformer
 * that changes nothing measures what any such agent costs a workload, before tlsguard's own hooks.
 */
public final class NoopAgent {
    public static void agentmain(String options, Instrumentation inst) {
        // nothing: the figure is the attach machinery's own cost
    }

    public static void premain(String options, Instrumentation inst) {
        inst.addTransformer(
                new ClassFileTransformer() {
                    @Override
                    public byte[] transform(
                            ClassLoader loader,
                            String name,
                            Class<?> redefined,
                            ProtectionDomain domain,
                            byte[] bytes) {
                        return null;
                    }
                },
                true);
    }
}
