package io.tlsguard.attach;

/** A failure the CLI reports as one line (never a stack trace), with its exit code. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;
    /** Extra lines printed after the reason (e.g. the list of candidate JVMs); may be empty. */
    final String details;

    CliException(int exitCode, String message) {
        this(exitCode, message, "");
    }

    CliException(int exitCode, String message, String details) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.details = details;
    }
}
