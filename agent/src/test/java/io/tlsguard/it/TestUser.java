package io.tlsguard.it;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Forwards to {@link io.tlsguard.testsupport.TestUser}, for the unit tests of io.tlsguard.agent that still import
 * this one (they belong to the package refactoring done alongside); delete once they import test-support's.
 *
 * @deprecated use {@link io.tlsguard.testsupport.TestUser}
 */
@Deprecated
public final class TestUser {
    private TestUser() {
    }

    public static boolean available() {
        return io.tlsguard.testsupport.TestUser.available();
    }

    public static int uid() throws IOException {
        return io.tlsguard.testsupport.TestUser.uid();
    }

    public static void chown(Path path) throws IOException {
        io.tlsguard.testsupport.TestUser.chown(path);
    }
}
