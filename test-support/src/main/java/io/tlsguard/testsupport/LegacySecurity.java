package io.tlsguard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@code java.security} override that re-allows TLSv1 and TLSv1.1: what legacy deployments do, and where old
 * protocols really get negotiated (JDK 8u291+ and 11+ disable them by default). The one copy the Java tests use
 * (scripts/compat/probe-servers writes the same line for its bash-driven run).
 */
public final class LegacySecurity {
    /** The JDKs' default list minus TLSv1 and TLSv1.1. */
    public static final String LINE = "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL, anon";

    private static Path file;

    private LegacySecurity() {}

    /** A file with {@link #LINE}, readable by every user (JVMs of the unprivileged test user read it too). */
    public static synchronized Path file() {
        if (file == null) {
            try {
                file = Files.createTempFile("tlsguard-legacy-", ".security");
                Files.writeString(file, LINE + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                file.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** The JVM option that applies {@link #file()}. */
    public static String jvmOption() {
        return "-Djava.security.properties=" + file();
    }
}
