package io.tlsguard.agent.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.Test;

/**
 * The engine-result hooks (wrap/unwrap) go into engines outside the JDK only: the JDK's own engine keeps its data path
 * as it was (its handshakes are seen inside JSSE), while its protocol setters are hooked as before.
 */
class EngineWeavingTest {
    /** An engine as a provider writes one: its own wrap and unwrap. Woven only, never run. */
    abstract static class ProviderEngine extends SSLEngine {
        @Override
        public SSLEngineResult wrap(ByteBuffer[] sources, int offset, int length, ByteBuffer destination) {
            return null;
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer source, ByteBuffer[] destinations, int offset, int length) {
            return null;
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {}
    }

    @Test
    void aProviderEngineGetsTheResultHooks() throws IOException {
        String name = ProviderEngine.class.getName().replace('.', '/');
        byte[] woven = new AdviceWeaver().weave(getClass().getClassLoader(), name, classFile(name));
        assertThat(woven).isNotNull();
        assertThat(strings(woven)).contains("engineResult", "protocols");
    }

    @Test
    void theJdkEngineGetsNoResultHook() throws IOException {
        String name = "sun/security/ssl/SSLEngineImpl";
        byte[] woven = new AdviceWeaver().weave(null, name, classFile(name));
        assertThat(woven).isNotNull();
        assertThat(strings(woven)).contains("protocols").doesNotContain("engineResult");
    }

    private static String strings(byte[] classFile) {
        return new String(classFile, StandardCharsets.ISO_8859_1); // the constant pool's names, as text
    }

    private static byte[] classFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }
}
