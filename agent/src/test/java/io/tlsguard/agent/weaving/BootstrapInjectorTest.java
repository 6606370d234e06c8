package io.tlsguard.agent.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BootstrapInjectorTest {

    /** The injected list must be the whole bootstrap package, or advice would meet a missing class. */
    @Test
    void injectsEveryBootstrapClass() throws Exception {
        File dir = new File(io.tlsguard.bootstrap.TlsGuardHooks.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toPath()
                .resolve("io/tlsguard/bootstrap")
                .toFile();
        String[] compiled = Arrays.stream(dir.list())
                .filter(n -> n.endsWith(".class"))
                .map(n -> "io.tlsguard.bootstrap." + n.substring(0, n.length() - 6))
                .sorted()
                .toArray(String[]::new);
        assertThat(BootstrapInjector.CLASSES).containsExactlyInAnyOrder(compiled);
        for (String name : BootstrapInjector.CLASSES) {
            assertThat(BootstrapInjector.bytes(name)).isNotEmpty();
        }
    }
}
