package io.tlsguard.agent.report;

/** Where the application made a call: the first frame outside the JDK, JSSE providers and tlsguard. */
public final class CallSite {
    public static final CallSite UNKNOWN = new CallSite("(unknown)", "(unknown)", null, -1, "");

    public final String className;
    public final String methodName;
    public final String fileName;
    public final int line;
    /** The application frames from the call site outwards, one "class.method(file:line)" a line. */
    public final String stack;

    public CallSite(String className, String methodName, String fileName, int line, String stack) {
        this.className = className;
        this.methodName = methodName;
        this.fileName = fileName;
        this.line = line;
        this.stack = stack;
    }

    /** The key that bounds how often one call site is written. */
    public String key() {
        return className + '.' + methodName + ':' + line;
    }
}
