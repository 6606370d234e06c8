package io.tlsguard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code java.security} override that re-allows TLSv1 and TLSv1.1: what legacy deployments do, and
 * where old protocols really get negotiated (JDK 8u291+ and 11+ disable them by default).
 */
public final class LegacySecurity {
    private static Path file;

    private LegacySecurity() {
    }

    public static synchronized Path file() {
        if (file == null) {
            try {
                file = Files.createTempFile("tlsguard-legacy-", ".security");
                Files.writeString(file, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL, anon\n");
                file.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
