package io.tlsguard.attach;

/** The exit codes of tlsguard-attach (documented in --help and docs/attach.md). */
final class ExitCodes {
    static final int OK = 0;
    /** An unexpected failure (a bug): the one-line reason names the exception. */
    static final int INTERNAL = 1;
    /** Bad command line. */
    static final int USAGE = 2;
    /** No such process, or no / several JVMs match the part of a main class given. */
    static final int NO_SUCH_TARGET = 3;
    /** The process is not a JVM, or the JVM cannot be attached to (attach disabled, not responding, too old). */
    static final int NOT_ATTACHABLE = 4;
    /** The JVM runs as another user. */
    static final int OTHER_USER = 5;
    /** This CLI runs on a Java runtime without the jdk.attach module. */
    static final int NO_JDK_ATTACH = 6;
    /** The target already runs a different version of tlsguard. */
    static final int OTHER_VERSION = 7;
    /** The agent refused or failed the command (its one-line reason is printed). */
    static final int AGENT_FAILED = 8;
    /** status: tlsguard is not running in that JVM. */
    static final int NOT_RUNNING = 9;

    static final String TABLE = String.join(
            "%n",
            "Exit codes:",
            "  0  ok",
            "  1  unexpected internal error",
            "  2  bad command line",
            "  3  no such process / no or several JVMs match",
            "  4  not a JVM, or not attachable (attach disabled, not responding)",
            "  5  the JVM runs as another user",
            "  6  this Java runtime has no jdk.attach module (run the CLI on a JDK 11+)",
            "  7  the JVM already runs another version of tlsguard",
            "  8  the agent failed or refused the command",
            "  9  tlsguard is not running in that JVM (status)");

    private ExitCodes() {}
}
