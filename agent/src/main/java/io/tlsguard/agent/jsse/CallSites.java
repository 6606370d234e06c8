package io.tlsguard.agent.jsse;

import io.tlsguard.agent.report.CallSite;
import java.lang.reflect.Method;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Finds who pinned: the first frame of a pinning call that is neither the JDK nor a JSSE provider nor
 * tlsguard (the library, or the application, that asked for the protocols), the jar its class came from,
 * and the first frame of another jar further out (the application's code that called into that library).
 *
 * <p>A JDK frame is one whose class the bootstrap or platform (Java 8: extension) loader defined, never
 * a package prefix: {@code javax.mail} and {@code com.sun.mail} are libraries. Frames and their classes
 * come from {@link StackFrames}. Only legacy pins pay for any of this; calls with modern protocols never
 * walk the stack. The hooks run in {@code doPrivileged} under a security manager, which the class loader
 * and protection domain reads here need.
 */
public final class CallSites {
    /** tlsguard's own frames and the JSSE providers': never the pinning code, whoever defined them. */
    private static final String[] NOT_A_PIN_SITE = {
        "io.tlsguard.agent.",
        "io.tlsguard.bootstrap.",
        "io.tlsguard.shaded.",
        "org.bouncycastle.jsse.",
        "org.bouncycastle.tls.",
        "org.conscrypt."
    };

    /**
     * JDK packages, for the few frames whose class is not known (a reflection frame missing from the
     * JVM's class context on Java 8, or no class context at all): only then does a name decide.
     */
    private static final String[] JDK_PACKAGES = {"java.", "javax.", "sun.", "com.sun.", "jdk."};

    private static final int STACK_FRAMES = 8;
    private static final ClassLoader PLATFORM = platformLoader();

    private CallSites() {}

    /** One frame of the current thread's stack: where, and the class when known (null: not known). */
    public static final class Frame {
        final StackTraceElement element;
        final Class<?> type;

        Frame(StackTraceElement element, Class<?> type) {
            this.element = element;
            this.type = type;
        }

        public String className() {
            return element.getClassName();
        }

        public String methodName() {
            return element.getMethodName();
        }

        /** Defined by the bootstrap or platform loader (by name only when the class is not known). */
        public boolean jdk() {
            if (type == null) {
                return startsWithAny(element.getClassName(), JDK_PACKAGES);
            }
            ClassLoader loader = type.getClassLoader();
            return loader == null || loader == PLATFORM;
        }

        /** The JDK, a JSSE provider or tlsguard: not where a pin comes from. */
        boolean platform() {
            return jdk() || startsWithAny(element.getClassName(), NOT_A_PIN_SITE);
        }

        /** Where the class was loaded from (a jar, a directory), or null. */
        URL location() {
            if (type == null) {
                return null;
            }
            ProtectionDomain domain = type.getProtectionDomain();
            CodeSource source = domain == null ? null : domain.getCodeSource();
            return source == null ? null : source.getLocation();
        }

        @Override
        public String toString() {
            return element.toString();
        }
    }

    static boolean startsWithAny(String className, String[] prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The frames of the current thread, innermost first, at most {@code max}. */
    public static List<Frame> frames(int max) {
        return StackFrames.current(max);
    }

    public static CallSite capture() {
        return of(frames(64));
    }

    public static CallSite of(List<Frame> frames) {
        int first = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (!frames.get(i).platform()) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return CallSite.UNKNOWN;
        }
        Frame site = frames.get(first);
        URL library = site.location();
        StackTraceElement caller = library == null ? null : firstCallerOutside(frames, first, library);
        StringBuilder stack = new StringBuilder();
        for (int i = first; i < frames.size() && i < first + STACK_FRAMES; i++) {
            if (stack.length() > 0) {
                stack.append('\n');
            }
            append(stack, frames.get(i).element);
        }
        StackTraceElement e = site.element;
        return new CallSite(
                e.getClassName(),
                e.getMethodName(),
                e.getFileName(),
                e.getLineNumber(),
                stack.toString(),
                library,
                caller);
    }

    /** The first frame outwards of {@code site} whose class comes from another place than the library's. */
    private static StackTraceElement firstCallerOutside(List<Frame> frames, int site, URL library) {
        String libraryName = library.toExternalForm();
        for (int i = site + 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.platform()) {
                continue;
            }
            URL location = f.location();
            if (location != null && !location.toExternalForm().equals(libraryName)) {
                return f.element;
            }
        }
        return null;
    }

    private static void append(StringBuilder out, StackTraceElement f) {
        out.append(f.getClassName())
                .append('.')
                .append(f.getMethodName())
                .append('(')
                .append(f.getFileName())
                .append(':')
                .append(f.getLineNumber())
                .append(')');
    }

    /**
     * Whether {@code SSLParameters.setProtocols} was called by the platform rather than the program: JSSE
     * (or a provider) filling a {@code getSSLParameters()} copy, or {@code java.net.http} copying the
     * program's parameters (the program's own call was already seen). Not a pin.
     */
    public static boolean platformSetsParameters(List<Frame> frames) {
        if (insideParametersGetter(frames)) {
            return true;
        }
        int last = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).className().equals("javax.net.ssl.SSLParameters")) {
                last = i; // the constructor calls setProtocols: look past both
            }
        }
        if (last < 0 || last + 1 >= frames.size()) {
            return false;
        }
        return frames.get(last + 1).jdk();
    }

    /** Whether the call is JSSE building a parameters object for a getter, not a pin by anybody. */
    private static boolean insideParametersGetter(List<Frame> frames) {
        for (Frame f : frames) {
            String m = f.methodName();
            if (m.equals("getSSLParameters")
                    || m.equals("getDefaultSSLParameters")
                    || m.equals("getSupportedSSLParameters")) {
                return true;
            }
            if (!f.platform()) {
                return false;
            }
        }
        return false;
    }

    /** The platform loader (Java 9+), or the extension loader (Java 8): the system loader's ancestor below the bootstrap. */
    private static ClassLoader platformLoader() {
        try {
            Method platform = ClassLoader.class.getMethod("getPlatformClassLoader");
            return (ClassLoader) platform.invoke(null);
        } catch (Throwable java8) {
            ClassLoader loader = ClassLoader.getSystemClassLoader();
            while (loader != null && loader.getParent() != null) {
                loader = loader.getParent();
            }
            return loader;
        }
    }
}
