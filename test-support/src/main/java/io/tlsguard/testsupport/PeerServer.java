package io.tlsguard.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The peer server of a test class: one JVM started before the class's tests and stopped after them, on
 * 127.0.0.1 (the sample servers print {@code LISTENING port} once they listen). Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PeerServer peer =
 *         new PeerServer(() -> Jvm.on(Jdks.get("jdk17")).legacySecurity().jsseServer("socket", "none"));
 * }</pre>
 *
 * The JVM is described by a supplier so that a missing JDK fails the class when it starts, not when it loads.
 */
public final class PeerServer implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<Jvm> jvm;
    private LiveProcess process;
    private int port;

    public PeerServer(Supplier<Jvm> jvm) {
        this.jvm = jvm;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path dir = Files.createTempDirectory("tlsguard-peer");
        process = jvm.get().start(dir.resolve("err"));
        port = process.awaitListening();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }
}
