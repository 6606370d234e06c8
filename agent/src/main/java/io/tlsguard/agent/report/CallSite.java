package io.tlsguard.agent.report;

import java.net.URL;

/**
 * Where a pin was made: the first frame outside the JDK, JSSE providers and tlsguard (a library's or the
 * application's), the place its class was loaded from, and the first frame of other code that called in.
 */
public final class CallSite {
    public static final CallSite UNKNOWN = new CallSite("(unknown)", "(unknown)", null, -1, "", null, null);

    public final String className;
    public final String methodName;
    public final String fileName;
    public final int line;
    /** The frames from the call site outwards, one "class.method(file:line)" a line. */
    public final String stack;
    /**
     * The code source of the pinning class (a jar, a directory), or null. Only its name is taken here, on the
     * hooked thread; what the jar says about itself is read by the report writer ({@link LibraryJars}).
     */
    public final URL library;
    /** The first frame outwards from another code source: the code that called into the library; or null. */
    public final StackTraceElement caller;

    public CallSite(
            String className,
            String methodName,
            String fileName,
            int line,
            String stack,
            URL library,
            StackTraceElement caller) {
        this.className = className;
        this.methodName = methodName;
        this.fileName = fileName;
        this.line = line;
        this.stack = stack;
        this.library = library;
        this.caller = caller;
    }

    /** The key that bounds how often one call site is written. */
    public String key() {
        return className + '.' + methodName + ':' + line;
    }
}
