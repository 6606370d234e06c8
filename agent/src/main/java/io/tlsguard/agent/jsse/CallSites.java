package io.tlsguard.agent.jsse;

import io.tlsguard.agent.report.CallSite;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the application's call site of a pinning call. Uses {@code StackWalker} where it exists (Java 9+:
 * lazy, a few microseconds) and {@code Throwable.getStackTrace} on Java 8. Only legacy pins pay for it;
 * calls with modern protocols never walk the stack.
 */
public final class CallSites {
    /** Frames of these packages are the platform or tlsguard, never the application's call site. */
    private static final String[] PLATFORM = {
        "java.",
        "javax.",
        "sun.",
        "com.sun.",
        "jdk.",
        "io.tlsguard.agent.",
        "io.tlsguard.bootstrap.",
        "io.tlsguard.shaded.",
        "org.bouncycastle.jsse.",
        "org.bouncycastle.tls.",
        "org.conscrypt."
    };

    private static final int STACK_FRAMES = 8;
    private static final Walker WALKER = Walker.create();

    private CallSites() {}

    static boolean isPlatform(String className) {
        for (String prefix : PLATFORM) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The frames of the current thread, outermost last, as (class, method, file, line). */
    public static List<StackTraceElement> frames(int max) {
        return WALKER.frames(max);
    }

    public static CallSite capture() {
        return of(frames(64));
    }

    public static CallSite of(List<StackTraceElement> frames) {
        int first = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (!isPlatform(frames.get(i).getClassName())) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return CallSite.UNKNOWN;
        }
        StackTraceElement site = frames.get(first);
        StringBuilder stack = new StringBuilder();
        for (int i = first; i < frames.size() && i < first + STACK_FRAMES; i++) {
            StackTraceElement f = frames.get(i);
            if (stack.length() > 0) {
                stack.append('\n');
            }
            stack.append(f.getClassName())
                    .append('.')
                    .append(f.getMethodName())
                    .append('(')
                    .append(f.getFileName())
                    .append(':')
                    .append(f.getLineNumber())
                    .append(')');
        }
        return new CallSite(
                site.getClassName(), site.getMethodName(), site.getFileName(), site.getLineNumber(), stack.toString());
    }

    /** JDK packages: a parameters object these set was set by the platform, not by the program. */
    private static final String[] JDK = {"java.", "javax.", "sun.", "com.sun.", "jdk."};

    /**
     * Whether {@code SSLParameters.setProtocols} was called by the platform rather than the program: JSSE
     * (or a provider) filling a {@code getSSLParameters()} copy, or {@code java.net.http} copying the
     * program's parameters (the program's own call was already seen). Not a pin.
     */
    public static boolean platformSetsParameters(List<StackTraceElement> frames) {
        if (insideParametersGetter(frames)) {
            return true;
        }
        int last = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).getClassName().equals("javax.net.ssl.SSLParameters")) {
                last = i; // the constructor calls setProtocols: look past both
            }
        }
        if (last < 0 || last + 1 >= frames.size()) {
            return false;
        }
        String caller = frames.get(last + 1).getClassName();
        for (String prefix : JDK) {
            if (caller.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the call is JSSE building a parameters object for a getter, not a pin by anybody. */
    private static boolean insideParametersGetter(List<StackTraceElement> frames) {
        for (StackTraceElement f : frames) {
            String m = f.getMethodName();
            if (m.equals("getSSLParameters")
                    || m.equals("getDefaultSSLParameters")
                    || m.equals("getSupportedSSLParameters")) {
                return true;
            }
            if (!isPlatform(f.getClassName())) {
                return false;
            }
        }
        return false;
    }

    /** Stack access: StackWalker when present (found reflectively, the agent being Java 8 bytecode). */
    private abstract static class Walker {
        abstract List<StackTraceElement> frames(int max);

        static Walker create() {
            try {
                return new StackWalkerWalker();
            } catch (Throwable java8) {
                return new ThrowableWalker();
            }
        }
    }

    private static final class ThrowableWalker extends Walker {
        @Override
        List<StackTraceElement> frames(int max) {
            StackTraceElement[] all = new Throwable().getStackTrace();
            List<StackTraceElement> out = new ArrayList<>(Math.min(max, all.length));
            for (int i = 0; i < all.length && out.size() < max; i++) {
                out.add(all[i]);
            }
            return out;
        }
    }

    private static final class StackWalkerWalker extends Walker {
        private final Object walker;
        private final Method walk;
        private final Method toStackTraceElement;

        StackWalkerWalker() throws Exception {
            Class<?> type = Class.forName("java.lang.StackWalker");
            walker = type.getMethod("getInstance").invoke(null);
            walk = type.getMethod("walk", Function.class);
            toStackTraceElement =
                    Class.forName("java.lang.StackWalker$StackFrame").getMethod("toStackTraceElement");
        }

        @Override
        @SuppressWarnings("unchecked")
        List<StackTraceElement> frames(int max) {
            try {
                Function<Stream<?>, List<StackTraceElement>> collect = frames -> {
                    List<StackTraceElement> out = new ArrayList<>();
                    frames.limit(max).forEach(frame -> {
                        try {
                            out.add((StackTraceElement) toStackTraceElement.invoke(frame));
                        } catch (Exception e) {
                            // skip the frame
                        }
                    });
                    return out;
                };
                return (List<StackTraceElement>) walk.invoke(walker, collect);
            } catch (Exception e) {
                return new ThrowableWalker().frames(max);
            }
        }
    }
}
