package io.tlsguard.it;

import io.tlsguard.testsupport.Artifacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.jar.JarFile;

/** The version the built agent jar declares (its manifest's Implementation-Version). */
final class AgentVersion {
    private AgentVersion() {}

    static String get() {
        try (JarFile jar = new JarFile(Artifacts.agentJar().toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
