package io.tlsguard.agent.jsse;

import java.lang.reflect.Method;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The current thread's frames with their classes, so that {@link CallSites} can ask each class's loader
 * rather than guess from its name. Java 9+: {@code StackWalker} with {@code RETAIN_CLASS_REFERENCE}, found
 * reflectively (the agent is Java 8 bytecode). Java 8: {@code Throwable.getStackTrace} for the lines, and
 * the JVM's own class context ({@code SecurityManager.getClassContext}, from a subclass that is never
 * installed) for the classes, matched by name. Either is made once, privileged (both are checked under a
 * security manager); when neither can be had, frames carry no class and the JDK is told by package name.
 */
final class StackFrames {
    private static final Source SOURCE = create();

    private StackFrames() {}

    static List<CallSites.Frame> current(int max) {
        try {
            return SOURCE.frames(max);
        } catch (Throwable t) { // never fail a pin for want of classes: the names alone
            return Source.NAMES_ONLY.frames(max);
        }
    }

    private static Source create() {
        return AccessController.doPrivileged(new PrivilegedAction<Source>() {
            @Override
            public Source run() {
                try {
                    return new Walker();
                } catch (Throwable java8) {
                    try {
                        return new ClassContext();
                    } catch (Throwable denied) {
                        return Source.NAMES_ONLY;
                    }
                }
            }
        });
    }

    private abstract static class Source {
        abstract List<CallSites.Frame> frames(int max);

        static final Source NAMES_ONLY = new Source() {
            @Override
            List<CallSites.Frame> frames(int max) {
                StackTraceElement[] all = new Throwable().getStackTrace();
                List<CallSites.Frame> out = new ArrayList<>(Math.min(max, all.length));
                for (int i = 0; i < all.length && out.size() < max; i++) {
                    out.add(new CallSites.Frame(all[i], null));
                }
                return out;
            }
        };
    }

    /** Java 9+: lazy, only the frames asked for, each with its declaring class. */
    private static final class Walker extends Source {
        private final Object walker;
        private final Method walk;
        private final Method toStackTraceElement;
        private final Method getDeclaringClass;

        Walker() throws Exception {
            Class<?> type = Class.forName("java.lang.StackWalker");
            Class<?> option = Class.forName("java.lang.StackWalker$Option");
            Object retain = option.getField("RETAIN_CLASS_REFERENCE").get(null);
            walker = type.getMethod("getInstance", Set.class).invoke(null, Collections.singleton(retain));
            walk = type.getMethod("walk", Function.class);
            Class<?> frame = Class.forName("java.lang.StackWalker$StackFrame");
            toStackTraceElement = frame.getMethod("toStackTraceElement");
            getDeclaringClass = frame.getMethod("getDeclaringClass");
        }

        @Override
        @SuppressWarnings("unchecked")
        List<CallSites.Frame> frames(final int max) {
            Function<Stream<?>, List<CallSites.Frame>> collect = new Function<Stream<?>, List<CallSites.Frame>>() {
                @Override
                public List<CallSites.Frame> apply(Stream<?> frames) {
                    List<CallSites.Frame> out = new ArrayList<>();
                    Iterator<?> it = frames.limit(max).iterator();
                    while (it.hasNext()) {
                        Object frame = it.next();
                        try {
                            out.add(new CallSites.Frame(
                                    (StackTraceElement) toStackTraceElement.invoke(frame),
                                    (Class<?>) getDeclaringClass.invoke(frame)));
                        } catch (Exception e) {
                            // skip the frame
                        }
                    }
                    return out;
                }
            };
            try {
                return (List<CallSites.Frame>) walk.invoke(walker, collect);
            } catch (Exception e) {
                return NAMES_ONLY.frames(max);
            }
        }
    }

    /**
     * Java 8: the stack trace's lines, and the classes of the JVM's class context. The class context
     * leaves out reflection's frames (Method.invoke, generated accessors) and may hold frames a stack trace
     * hides, so the two are matched by class name, in order; a line without its class keeps none.
     */
    private static final class ClassContext extends Source {
        /** How far ahead in the class context a line's class is looked for before the line goes without. */
        private static final int LOOK_AHEAD = 4;

        private final Context context = new Context(); // checked: createSecurityManager, hence made privileged

        @Override
        List<CallSites.Frame> frames(int max) {
            StackTraceElement[] lines = new Throwable().getStackTrace();
            Class<?>[] classes = context.classes();
            List<CallSites.Frame> out = new ArrayList<>(Math.min(max, lines.length));
            int next = 0;
            for (int i = 0; i < lines.length && out.size() < max; i++) {
                String name = lines[i].getClassName();
                Class<?> type = null;
                for (int j = next; j < classes.length && j <= next + LOOK_AHEAD; j++) {
                    if (classes[j].getName().equals(name)) {
                        type = classes[j];
                        next = j + 1;
                        break;
                    }
                }
                out.add(new CallSites.Frame(lines[i], type));
            }
            return out;
        }
    }

    /** Only a way to the JVM's class context: never installed as the security manager. */
    @SuppressWarnings("removal")
    private static final class Context extends SecurityManager {
        Class<?>[] classes() {
            return getClassContext();
        }
    }
}
