package io.tlsguard.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * Entry points: {@code -javaagent} (premain), dynamic attach (agentmain) and {@code java -jar} (usage).
 *
 * <p>This class must not mention the bootstrap runtime: it runs before that runtime is injected, and a
 * bootstrap class loaded here through the application class loader would be the wrong copy. Everything
 * after injection lives in {@link AgentRuntime}.
 */
public final class TlsGuardAgent {
    private TlsGuardAgent() {
    }

    public static void premain(String options, Instrumentation instrumentation) {
        start(options, instrumentation, false);
    }

    public static void agentmain(String options, Instrumentation instrumentation) {
        start(options, instrumentation, true);
    }

    public static void main(String[] args) {
        System.out.println("tlsguard " + version() + " - finds and fixes legacy TLS in running JVMs");
        System.out.println("usage: java -javaagent:tlsguard.jar[=OPTIONS] ...   OPTIONS: " + AgentOptions.USAGE);
        System.out.println("live JVMs: java -jar tlsguard-attach.jar list|attach|status|detach (see README.md)");
    }

    static String version() {
        String v = TlsGuardAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static void start(String rawOptions, Instrumentation instrumentation, boolean dynamic) {
        AttachRequest request = null;
        try {
            request = dynamic ? AttachRequest.onAttach(rawOptions) : AttachRequest.atStartup(rawOptions);
            AgentOptions options = request.options();
            File jar = new File(TlsGuardAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!dynamic && JdkTools.isJdkToolReachedThroughEnvironment(jar.getName())) {
                return; // JAVA_TOOL_OPTIONS reaches keytool, jcmd... too: stay out of those, silently
            }
            if (options.error() != null) {
                refuse(request, options.error(), dynamic);
                return;
            }
            BootstrapInjector.inject(instrumentation, jar);
            String problem = AgentRuntime.start(request, instrumentation, dynamic);
            if (problem != null) {
                refuse(request, problem, dynamic);
            }
        } catch (Throwable t) {
            refuse(request != null ? request : AttachRequest.atStartup(rawOptions), "could not start: " + t, dynamic);
        }
    }

    /**
     * One line naming the problem. At startup, enforce and deny fail closed: the JVM stops rather than
     * run without the protection it was started with. In report mode, and always on dynamic attach (a
     * live program is never killed), the program goes on without tlsguard.
     */
    private static void refuse(AttachRequest request, String problem, boolean dynamic) {
        if (dynamic) {
            System.err.println("tlsguard: " + problem + "; tlsguard did not change anything");
            AgentRuntime.reply(request, "{\"ok\":false,\"error\":" + AgentRuntime.quote(problem) + "}");
        } else if (request.options().failsClosed()) {
            System.err.println("tlsguard: " + problem + "; stopping the JVM because enforce/deny fail closed");
            System.err.flush();
            Runtime.getRuntime().halt(1);
        } else {
            System.err.println("tlsguard: " + problem + "; tlsguard is not running (report mode: the program runs unguarded)");
        }
    }
}
