package io.tlsguard.compat;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.TestUser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outside probe of the server rows: {@code openssl s_client -tls1 | -tls1_1 | -tls1_2 | -tls1_3}, a TLS client
 * nobody here wrote (Debian's openssl, installed when missing and running as root).
 */
final class Openssl {
    private static final List<String> VERSIONS = List.of("tls1", "tls1_1", "tls1_2", "tls1_3");
    private static final String PROTOCOL = "Protocol version:";

    private Openssl() {}

    /** Fails unless openssl runs (installing it first when missing and this is root, as CI is). */
    static void require() throws IOException, InterruptedException {
        if (runs()) {
            return;
        }
        if (TestUser.isRoot()) {
            Fork.of(List.of("apt-get", "update", "-qq"))
                    .timeout(Duration.ofMinutes(5))
                    .run();
            Fork.of(List.of("apt-get", "install", "-y", "-qq", "openssl"))
                    .env("DEBIAN_FRONTEND", "noninteractive")
                    .timeout(Duration.ofMinutes(5))
                    .run();
        }
        if (!runs()) {
            throw new AssertionError("openssl is needed to probe the sample servers (apt-get install -y openssl)");
        }
    }

    private static boolean runs() throws InterruptedException {
        try {
            return Fork.of(List.of("openssl", "version")).run().exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The protocol versions (TLSv1 ... TLSv1.3) openssl negotiates with the server on 127.0.0.1:{@code port}.
     * SECLEVEL=0: OpenSSL 3 refuses TLSv1/TLSv1.1 ciphers otherwise, and the question is what the server accepts.
     */
    static List<String> acceptedVersions(int port) throws IOException, InterruptedException {
        List<String> accepted = new ArrayList<>();
        for (String version : VERSIONS) {
            Fork.Result probe;
            try {
                probe = Fork.of(List.of(
                                "openssl",
                                "s_client",
                                "-connect",
                                "127.0.0.1:" + port,
                                "-" + version,
                                "-cipher",
                                "DEFAULT:@SECLEVEL=0",
                                "-brief"))
                        .timeout(Duration.ofSeconds(10))
                        .run();
            } catch (AssertionError timedOut) {
                continue; // a server that hangs does not accept that version
            }
            (probe.stdout() + "\n" + probe.stderr())
                    .lines()
                    .filter(l -> l.startsWith(PROTOCOL))
                    .map(l -> l.substring(PROTOCOL.length()).trim())
                    .findFirst()
                    .ifPresent(accepted::add);
        }
        return accepted;
    }
}
