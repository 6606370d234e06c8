package io.tlsguard.bench;

import java.lang.reflect.Method;

/**
 * Times a dynamic attach from this JVM: {@code VirtualMachine.attach(pid)} then {@code loadAgent(jar, options)},
 * until loadAgent returns (the agent's agentmain has finished). Reflection keeps this Java 8 source compilable without
 * tools.jar; on JDK 8 put {@code lib/tools.jar} on the class path.
 *
 * <p>args: pid jar [options]
 */
public final class AttachTimer {
    public static void main(String[] args) throws Exception {
        String pid = args[0];
        String jar = args[1];
        String options = args.length > 2 ? args[2] : null;
        Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
        Method attach = vmClass.getMethod("attach", String.class);
        Method loadAgent = vmClass.getMethod("loadAgent", String.class, String.class);
        Method detach = vmClass.getMethod("detach");
        long t0 = System.nanoTime();
        Object vm = attach.invoke(null, pid);
        long t1 = System.nanoTime();
        loadAgent.invoke(vm, jar, options);
        long t2 = System.nanoTime();
        detach.invoke(vm);
        Tls.result("attach_ms", (t2 - t0) / 1e6, "vm_attach_ms", (t1 - t0) / 1e6, "load_agent_ms", (t2 - t1) / 1e6);
    }
}
