package io.tlsguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Artifacts;
import java.io.DataInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded jar's layout: only tlsguard's package at its root, dependencies relocated, Java 8 bytecode. */
class AgentJarIT {

    @Test
    void rootHoldsOnlyTheProjectPackageAndMetaInf() throws Exception {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(Artifacts.agentJar().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
        }
        assertThat(names).allSatisfy(name -> assertThat(name).matches("(io/|io/tlsguard/.*|META-INF/.*)"));
        assertThat(names).anyMatch(n -> n.startsWith("io/tlsguard/shaded/bytebuddy/"));
        assertThat(names).anyMatch(n -> n.startsWith("io/tlsguard/shaded/jackson/core/"));
        assertThat(names)
                .noneMatch(n -> n.startsWith("net/") || n.startsWith("com/") || n.startsWith("META-INF/versions/"));
        assertThat(names)
                .contains("io/tlsguard/bootstrap/TlsGuardHooks.class", "io/tlsguard/bootstrap/HookHandler.class");
        // the module shared with the CLI (contract, path rule), not relocated: the agent's own loader and the
        // trampoline
        // (failing closed) load it
        assertThat(names)
                .contains(
                        "io/tlsguard/contract/UserOptions.class",
                        "io/tlsguard/contract/AttachRequest.class",
                        "io/tlsguard/contract/ReplyKey.class",
                        "io/tlsguard/files/TrustedPaths.class");
        // the Flight Recorder events, compiled by their own compiler execution (src/main/jfr), are in the jar too
        assertThat(names)
                .contains(
                        "io/tlsguard/agent/jfr/FlightRecorderEvents.class",
                        "io/tlsguard/agent/jfr/RecordedEvents.class",
                        "io/tlsguard/agent/jfr/ProtocolPinJfrEvent.class",
                        "io/tlsguard/agent/jfr/HandshakeJfrEvent.class");
    }

    @Test
    void everyClassIsJava8Bytecode() throws Exception {
        int classes = 0;
        try (JarFile jar = new JarFile(Artifacts.agentJar().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry);
                        DataInputStream data = new DataInputStream(in)) {
                    assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                    data.readUnsignedShort();
                    assertThat(data.readUnsignedShort()).as(entry.getName()).isLessThanOrEqualTo(52);
                    classes++;
                }
            }
        }
        assertThat(classes).isGreaterThan(1000);
    }

    @Test
    void manifestDeclaresBothEntryPoints() throws Exception {
        try (JarFile jar = new JarFile(Artifacts.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("io.tlsguard.agent.TlsGuardAgent");
            assertThat(main.getValue("Agent-Class")).isEqualTo("io.tlsguard.agent.TlsGuardAgent");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Implementation-Version")).isNotBlank();
            assertThat(main.getValue("Boot-Class-Path")).isNull();
            assertThat(main.getValue("Sealed"))
                    .as("no other jar can add a class to tlsguard's packages, the contract's included")
                    .isEqualTo("true");
            assertThat(jar.getManifest().getEntries())
                    .as("no package unsealed by an entry of its own")
                    .isEmpty();
        }
    }
}
