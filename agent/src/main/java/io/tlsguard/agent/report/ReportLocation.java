package io.tlsguard.agent.report;

import io.tlsguard.files.TrustedPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Decides where the report goes and opens it, under the rule of {@link TrustedPaths}: no other user may
 * write, replace or redirect any part of the path, and the file is never a link, FIFO, directory or
 * another user's file.
 *
 * <p>The default is {@code $XDG_STATE_HOME/tlsguard/tlsguard-PID.jsonl}, else
 * {@code ~/.local/state/tlsguard/tlsguard-PID.jsonl} (directories created owner-only). A name predictable
 * in a shared directory such as {@code /tmp} could be taken first by anyone (a FIFO hangs the JVM, a file
 * of theirs collects our report), so when neither is usable (no home, read-only or untrusted home) the
 * report goes to a fresh directory that {@link Files#createTempDirectory} makes owner-only with a random
 * name in {@code java.io.tmpdir}: nobody can prepare anything there. So a hostile user can never turn a
 * default-configured JVM into a failed start (only a java.io.tmpdir where even that fails does).
 *
 * <p>An explicit {@code report=PATH} is the user's choice: it is opened as given or refused with the reason.
 * {@code report=stderr} writes to the process's stderr; {@code report=/dev/null} discards the lines;
 * {@code report=none} writes no file (for the OTLP export alone; a file named "none" is {@code report=./none}).
 */
public final class ReportLocation {
    static final String FILE_PREFIX = "tlsguard-";
    static final String DEV_NULL = "/dev/null";
    /** No report file (the OTLP export, when configured, still gets every event). */
    public static final String NONE = "none";

    private ReportLocation() {}

    static ReportSink open(String option, String pid) throws IOException {
        return open(
                option,
                pid,
                System.getenv("XDG_STATE_HOME"),
                System.getProperty("user.home"),
                System.getProperty("java.io.tmpdir"));
    }

    /** As {@link #open(String, String)}, with the environment passed in. */
    static ReportSink open(String option, String pid, String xdgStateHome, String home, String tmpdir)
            throws IOException {
        if (option == null) {
            return openDefault(pid, xdgStateHome, home, tmpdir);
        }
        if (option.equals("stderr")) {
            return ReportSink.stderr();
        }
        if (option.equals(NONE)) {
            return ReportSink.none();
        }
        if (option.equals(DEV_NULL)) { // a device, not a file of the user's: never opened, the lines are discarded
            return ReportSink.discard();
        }
        return openFile(Paths.get(option.replace("%p", pid)), option);
    }

    private static ReportSink openDefault(String pid, String xdgStateHome, String home, String tmpdir)
            throws IOException {
        String name = FILE_PREFIX + pid + ".jsonl";
        StringBuilder why = new StringBuilder();
        if (xdgStateHome != null && Paths.get(xdgStateHome).isAbsolute()) { // the XDG spec: a relative value is ignored
            ReportSink sink = tryDirectory(Paths.get(xdgStateHome, "tlsguard"), name, why);
            if (sink != null) {
                return sink;
            }
        }
        if (home != null && Paths.get(home).isAbsolute() && Files.isDirectory(Paths.get(home))) { // never create a home
            ReportSink sink = tryDirectory(Paths.get(home, ".local", "state", "tlsguard"), name, why);
            if (sink != null) {
                return sink;
            }
        }
        try {
            Path fresh = Files.createTempDirectory(
                    Paths.get(tmpdir),
                    FILE_PREFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return openFile(fresh.resolve(name), null);
        } catch (IOException | RuntimeException e) {
            why.append(why.length() > 0 ? "; " : "").append(e.getMessage());
            throw new IOException("no private directory for the report (" + why + ")");
        }
    }

    private static ReportSink tryDirectory(Path dir, String name, StringBuilder why) {
        try {
            return openFile(TrustedPaths.createPrivateDirectory(dir).resolve(name), null);
        } catch (IOException | RuntimeException e) {
            why.append(why.length() > 0 ? "; " : "").append(e.getMessage());
            return null;
        }
    }

    private static ReportSink openFile(Path path, String requested) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            throw new IOException(path + " is not a file name");
        }
        Path real = TrustedPaths.checkDirectory(absolute.getParent())
                .resolve(absolute.getFileName().toString());
        FileChannel channel = TrustedPaths.openForAppend(real);
        try {
            startOnNewLine(channel, real);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return ReportSink.file(channel, real.toString(), requested);
    }

    /**
     * A file of an earlier run (a reused pid, a fixed name) that a crash or a full disk cut in the middle of
     * a line: the new run starts on a new line, never extending the partial one into invalid JSON.
     */
    private static void startOnNewLine(FileChannel appending, Path real) throws IOException {
        long size = appending.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel reading = TrustedPaths.openForReading(real)) {
            reading.read(last, size - 1);
        }
        if (last.position() == 1 && last.get(0) != '\n') {
            ByteBuffer newline = ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII));
            while (newline.hasRemaining()) {
                appending.write(newline);
            }
        }
    }

    /** A path or message fit for one line of stderr: control characters (a newline in a path) escaped. */
    public static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                switch (c) {
                    case '\n':
                        b.append("\\n");
                        break;
                    case '\r':
                        b.append("\\r");
                        break;
                    case '\t':
                        b.append("\\t");
                        break;
                    case '\\':
                        b.append("\\\\");
                        break;
                    default:
                        b.append(String.format("\\x%02x", (int) c));
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
