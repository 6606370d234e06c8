package io.tlsguard.agent;

import io.tlsguard.contract.UserOptions;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.security.AccessController;
import java.security.AllPermission;
import java.security.PrivilegedAction;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.function.BiConsumer;

/**
 * Entry points: {@code -javaagent} (premain), dynamic attach (agentmain) and {@code java -jar} (usage, and
 * {@code warm-cache}: the transform cache filled ahead of the first start).
 *
 * <p>A trampoline, loaded by the system class loader: it makes tlsguard's own {@link AgentClassLoader}
 * once and calls {@link AgentStart} there (through the entry point that class hands its loader: no
 * reflection), where the implementation holds the permissions it needs under a security manager. It must mention no other agent class (a class loaded here would be a second copy,
 * without those permissions), except {@link JdkTools}, {@link StartFailure} and the contract's {@link UserOptions}
 * to fail closed when even that is impossible, and never the bootstrap runtime.
 *
 * <p>A security manager already installed when tlsguard starts ({@code -Djava.security.manager} on the
 * command line) asks the policy about this class's code source, tlsguard.jar: without
 * {@code AllPermission} there, tlsguard cannot make its loader, and says so in one line that gives the
 * grant to add; enforce and deny then stop the JVM, as for a bad option.
 */
public final class TlsGuardAgent {
    private static final String CACHE_WARMER = "io.tlsguard.agent.weaving.CacheWarmer";
    /** Made once per JVM: later attaches (status, detach, reconfigure) reach the same runtime. */
    private static AgentClassLoader agentLoader;

    private TlsGuardAgent() {}

    public static void premain(String options, Instrumentation instrumentation) {
        start(options, instrumentation, false);
    }

    public static void agentmain(String options, Instrumentation instrumentation) {
        start(options, instrumentation, true);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("warm-cache")) {
            System.exit(warmCache(args));
        }
        String v = TlsGuardAgent.class.getPackage().getImplementationVersion();
        System.out.println("tlsguard " + (v == null ? "dev" : v) + " - finds and fixes legacy TLS in running JVMs");
        System.out.println("usage: java -javaagent:tlsguard.jar[=OPTIONS] ...   OPTIONS: " + UserOptions.USAGE);
        System.out.println("live JVMs: java -jar tlsguard-attach.jar list|attach|status|detach (see README.md)");
        System.out.println("image builds: java -jar tlsguard.jar warm-cache [cache=DIR] (as the user, with the JDK,"
                + " that will run the application: its first start then loads no Byte Buddy)");
    }

    /** {@code warm-cache [cache=DIR]}: the hooked classes of this JDK woven into the transform cache now. */
    private static int warmCache(String[] args) {
        UserOptions options = UserOptions.parse(args.length == 2 ? args[1] : "");
        if (args.length > 2
                || (args.length == 2 && (!args[1].startsWith("cache=") || options.error() != null))
                || "off".equals(options.cache())) {
            System.err.println("usage: java -jar tlsguard.jar warm-cache [cache=DIR]"
                    + (options.error() != null ? " (" + options.error() + ")" : ""));
            return 2;
        }
        try {
            Method warm = Class.forName(CACHE_WARMER, true, loader()).getMethod("warm", String.class);
            System.out.println(warm.invoke(null, options.cache()));
            return 0;
        } catch (InvocationTargetException e) {
            System.err.println(
                    "tlsguard: cannot warm the transform cache: " + e.getCause().getMessage());
        } catch (Exception | LinkageError e) {
            System.err.println("tlsguard: cannot warm the transform cache: " + e);
        }
        return 1;
    }

    private static void start(String options, Instrumentation instrumentation, boolean dynamic) {
        if (instrumentation == null
                || instrumentation.getClass().getClassLoader() != null
                || !instrumentation.getClass().getName().equals("sun.instrument.InstrumentationImpl")) {
            return; // public methods: only the JVM, which alone has its Instrumentation, starts tlsguard (see
            // AgentStart)
        }
        BiConsumer<String, Instrumentation> start;
        try {
            String grant = missingGrant();
            if (grant != null) {
                cannotStart(
                        options,
                        "a security manager is installed and its policy does not grant tlsguard.jar AllPermission,"
                                + " which tlsguard needs to guard TLS",
                        "add to the policy: " + grant,
                        dynamic);
                return;
            }
            start = loader().start(dynamic);
        } catch (Throwable t) {
            cannotStart(options, "could not start: " + t, null, dynamic);
            return;
        }
        try {
            start.accept(options, instrumentation); // says itself what went wrong, and fails closed
        } catch (Throwable t) {
            cannotStart(options, "could not start: " + t, null, dynamic);
        }
    }

    private static synchronized AgentClassLoader loader() throws Exception {
        if (agentLoader == null) {
            final URL jar = agentJar();
            try {
                agentLoader = AccessController.doPrivileged(new PrivilegedExceptionAction<AgentClassLoader>() {
                    @Override
                    public AgentClassLoader run() throws IOException {
                        return new AgentClassLoader(
                                jar, ClassLoader.getSystemClassLoader().getParent());
                    }
                });
            } catch (PrivilegedActionException e) {
                throw e.getException(); // the jar could not be opened: said as it is
            }
        }
        return agentLoader;
    }

    /**
     * Null when tlsguard may make its class loader: no security manager, the loader made already, or a
     * policy granting tlsguard.jar AllPermission. Else the policy entry that is missing.
     */
    private static synchronized String missingGrant() {
        if (System.getSecurityManager() == null || agentLoader != null) {
            return null;
        }
        try {
            AccessController.doPrivileged(
                    new PrivilegedAction<Void>() { // only tlsguard.jar's own permissions count
                        @Override
                        public Void run() {
                            AccessController.checkPermission(new AllPermission());
                            return null;
                        }
                    });
            return null;
        } catch (SecurityException e) {
            String jar;
            try {
                jar = agentJar().toString();
            } catch (Exception unknown) {
                jar = "file:/path/to/tlsguard.jar";
            }
            return "grant codeBase \"" + jar + "\" { permission java.security.AllPermission; };";
        }
    }

    /**
     * The agent jar's URL, from this class's own resource: unlike its ProtectionDomain this needs no
     * permission (a class path entry may always read itself).
     */
    private static URL agentJar() throws Exception {
        URL self = TlsGuardAgent.class.getResource("TlsGuardAgent.class");
        String url = self == null ? "" : self.toString();
        int bang = url.indexOf("!/");
        if (!url.startsWith("jar:") || bang < 0) {
            throw new IllegalStateException("tlsguard is not running from its jar: " + url);
        }
        return new URL(url.substring("jar:".length(), bang));
    }

    /**
     * The runtime could not even be reached: said, and failed closed or not, as {@link StartFailure} does
     * for every start that fails.
     */
    private static void cannotStart(String rawOptions, String problem, String remedy, boolean dynamic) {
        UserOptions options = UserOptions.parse(rawOptions);
        if (!dynamic && isJdkToolReachedThroughEnvironment()) {
            return; // JAVA_TOOL_OPTIONS reaches keytool, jcmd... too: stay out, silently
        }
        StartFailure.say(problem, remedy, dynamic, options.failsClosed());
    }

    private static boolean isJdkToolReachedThroughEnvironment() {
        try {
            String jar = agentJar().getPath();
            return JdkTools.isJdkToolReachedThroughEnvironment(jar.substring(jar.lastIndexOf('/') + 1));
        } catch (Exception | LinkageError cannotTell) { // a SecurityException among them: then it is no exemption
            return false;
        }
    }
}
