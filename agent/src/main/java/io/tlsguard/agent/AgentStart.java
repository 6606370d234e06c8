package io.tlsguard.agent;

import io.tlsguard.agent.weaving.BootstrapInjector;
import io.tlsguard.contract.AttachRequest;
import io.tlsguard.contract.UserOptions;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * tlsguard's start, in its own {@link AgentClassLoader}: called by the {@link TlsGuardAgent} trampoline
 * for {@code -javaagent} and for each attach command. Everything runs in {@code doPrivileged}, so that a
 * security manager asks only about tlsguard's own code (which holds AllPermission), and the threads made
 * here (report writer, shutdown hook) inherit that context.
 *
 * <p>The trampoline, in another class loader, reaches it through the two entry points that this class's static
 * initializer hands to its loader ({@link AgentClassLoader#accept}), not by reflection, with the loader's way to the
 * JDK's resources ({@link PlatformResources}), which must be a class of that loader too. A start does nothing
 * unless it runs in tlsguard's loader and is given the JVM's own Instrumentation, which only an agent
 * receives: the application's code, sandboxed or not, cannot start, reconfigure or detach tlsguard through it.
 */
public final class AgentStart {
    static {
        ClassLoader own = AgentStart.class.getClassLoader();
        if (own instanceof Consumer) { // tlsguard's loader, which the trampoline asks for them (see there)
            @SuppressWarnings("unchecked")
            Consumer<Object> trampolinesLoader = (Consumer<Object>) own;
            trampolinesLoader.accept(
                    new Object[] {new EntryPoint(false), new EntryPoint(true), new PlatformResources(own.getParent())});
        }
    }

    private AgentStart() {}

    /** premain's ({@code dynamic} false) or agentmain's start; a JDK interface, which the trampoline's loader knows too. */
    private static final class EntryPoint implements BiConsumer<String, Instrumentation> {
        private final boolean dynamic;

        EntryPoint(boolean dynamic) {
            this.dynamic = dynamic;
        }

        @Override
        public void accept(String rawOptions, Instrumentation instrumentation) {
            start(rawOptions, instrumentation, dynamic);
        }
    }

    private static void start(final String rawOptions, final Instrumentation instrumentation, final boolean dynamic) {
        if (!genuine(instrumentation)) {
            return;
        }
        AccessController.doPrivileged(new PrivilegedAction<Void>() {
            @Override
            public Void run() {
                startPrivileged(rawOptions, instrumentation, dynamic);
                return null;
            }
        });
    }

    /**
     * Called with the JVM's Instrumentation, in tlsguard's own loader (not a copy of this class that the
     * system class loader found in tlsguard.jar: only the trampoline can make an AgentClassLoader, as
     * making a class loader is itself a permission sandboxed code lacks).
     */
    private static boolean genuine(Instrumentation instrumentation) {
        ClassLoader own = AgentStart.class.getClassLoader();
        return fromJvm(instrumentation)
                && own != null
                && own.getClass().getName().equals("io.tlsguard.agent.AgentClassLoader");
    }

    /**
     * Whether this is the JVM's own Instrumentation, which only an agent receives: a class of the boot
     * loader that nobody can subclass (private constructor) or make. Needs no permission.
     */
    static boolean fromJvm(Instrumentation instrumentation) {
        return instrumentation != null
                && instrumentation.getClass().getClassLoader() == null
                && instrumentation.getClass().getName().equals("sun.instrument.InstrumentationImpl");
    }

    private static void startPrivileged(String rawOptions, Instrumentation instrumentation, boolean dynamic) {
        AttachRequest request = null;
        try {
            request = dynamic ? AttachRequest.onAttach(rawOptions) : AttachRequest.atStartup(rawOptions);
            UserOptions options = request.options();
            File jar = new File(AgentStart.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (!dynamic && JdkTools.isJdkToolReachedThroughEnvironment(jar.getName())) {
                return; // JAVA_TOOL_OPTIONS reaches keytool, jcmd... too: stay out of those, silently
            }
            if (options.error() != null) {
                refuse(request, options.error(), dynamic);
                return;
            }
            BootstrapInjector.inject(instrumentation);
            String problem = AgentRuntime.start(request, instrumentation, dynamic);
            if (problem != null) {
                refuse(request, problem, dynamic);
            }
        } catch (Throwable t) {
            refuse(request != null ? request : AttachRequest.atStartup(rawOptions), "could not start: " + t, dynamic);
        }
    }

    /** Said as every failed start is ({@link StartFailure}); an attach also replies to the CLI. */
    private static void refuse(AttachRequest request, String problem, boolean dynamic) {
        StartFailure.say(problem, null, dynamic, request.options().failsClosed());
        if (dynamic) {
            AgentRuntime.reply(request, AgentRuntime.failure(problem));
        }
    }
}
