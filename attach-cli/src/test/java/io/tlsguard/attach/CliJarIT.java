package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.Artifacts;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The CLI jar's layout: tlsguard's packages and META-INF only, picocli and Jackson relocated, the agent inside. */
class CliJarIT {

    @Test
    void rootHoldsOnlyTheProjectPackagesWithDependenciesRelocated() throws Exception {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(Artifacts.cliJar().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
        }
        assertThat(names).allSatisfy(name -> assertThat(name).matches("(io/|io/tlsguard/.*|META-INF/.*)"));
        assertThat(names)
                .noneMatch(n -> n.startsWith("com/") || n.startsWith("picocli/") || n.startsWith("META-INF/services/"));
        assertThat(names)
                .anyMatch(n -> n.startsWith("io/tlsguard/shaded/jackson/databind/"))
                .anyMatch(n -> n.startsWith("io/tlsguard/shaded/picocli/"))
                .contains(
                        "io/tlsguard/contract/UserOptions.class",
                        "io/tlsguard/contract/AttachRequest.class",
                        "io/tlsguard/attach/agent/tlsguard.jar");
    }
}
