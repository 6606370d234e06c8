package io.tlsguard.agent.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transform cache entry is used only when it proves that tlsguard wrote it, for this class, this
 * original, this agent build and JVM, and when what it holds is a hooked class: everything else is refused.
 * The originals and transformed bytes here are the JDK's SSLContext and SSLParameters as Byte Buddy weaves them.
 */
class CacheEntryTest {
    private static final String FINGERPRINT = "v2-1234abcd";
    private static final String CONTEXT = "javax/net/ssl/SSLContext";
    private static final String PARAMETERS = "javax/net/ssl/SSLParameters";
    private static final byte[] KEY = random(32);

    private static byte[] original;
    private static byte[] transformed;
    private static byte[] otherOriginal;
    private static byte[] otherTransformed;

    @BeforeAll
    static void weave() throws IOException {
        AdviceWeaver weaver = new AdviceWeaver();
        original = jdkClass(CONTEXT);
        transformed = weaver.weave(null, CONTEXT, original);
        otherOriginal = jdkClass(PARAMETERS);
        otherTransformed = weaver.weave(null, PARAMETERS, otherOriginal);
        assertThat(transformed).isNotNull().isNotEqualTo(original);
    }

    @Test
    void anEntryTlsguardSealedOpensForItsOriginal() throws Exception {
        byte[] entry = CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, transformed);
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, entry)).isEqualTo(transformed);
    }

    @Test
    void anyChangedByteIsRefused() throws Exception {
        byte[] entry = CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, transformed);
        for (int at : new int[] {0, 5, 8 + original.length / 2, entry.length - 100, entry.length - 1}) {
            byte[] tampered = entry.clone();
            tampered[at] ^= 0x01;
            assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, tampered))
                    .as("byte %d changed", at)
                    .isNull();
        }
    }

    @Test
    void anotherKeyAgentBuildOrJvmIsRefused() throws Exception {
        byte[] entry = CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, transformed);
        assertThat(CacheEntry.open(random(32), FINGERPRINT, CONTEXT, original, entry))
                .isNull();
        assertThat(CacheEntry.open(KEY, "v2-1234abce", CONTEXT, original, entry))
                .isNull();
    }

    @Test
    void anEntryForAnotherClassOrAnotherOriginalIsRefused() throws Exception {
        byte[] entry = CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, transformed);
        assertThat(CacheEntry.open(KEY, FINGERPRINT, PARAMETERS, original, entry))
                .as("asked for under another name")
                .isNull();
        assertThat(CacheEntry.open(KEY, FINGERPRINT, PARAMETERS, otherOriginal, entry))
                .isNull();
        byte[] changedOriginal = original.clone();
        changedOriginal[original.length - 1] ^= 1;
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, changedOriginal, entry))
                .isNull();
        // sealed with a valid MAC, but what it holds is another class: not defined as SSLContext
        byte[] swapped = CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, otherTransformed);
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, swapped))
                .isNull();
    }

    @Test
    void theUnhookedOriginalIsRefusedWhateverVouchesForIt() throws Exception {
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, oldCrcEntry(original, original)))
                .as("the earlier format: CRC-32 framed")
                .isNull();
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, oldCrcEntry(original, transformed)))
                .as("even a genuine transformation in the earlier format")
                .isNull();
        assertThat(CacheEntry.open(
                        KEY,
                        FINGERPRINT,
                        CONTEXT,
                        original,
                        CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, original)))
                .as("with a valid MAC: not a hooked class")
                .isNull();
    }

    @Test
    void garbageTruncatedAndOversizedAreRefused() throws Exception {
        byte[] garbage = random(transformed.length);
        assertThat(CacheEntry.open(
                        KEY,
                        FINGERPRINT,
                        CONTEXT,
                        original,
                        CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, garbage)))
                .as("garbage with a valid MAC")
                .isNull();
        byte[] magicGarbage = garbage.clone();
        System.arraycopy(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}, 0, magicGarbage, 0, 4);
        assertThat(CacheEntry.open(
                        KEY,
                        FINGERPRINT,
                        CONTEXT,
                        original,
                        CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, magicGarbage)))
                .isNull();
        byte[] entry = CacheEntry.seal(KEY, FINGERPRINT, CONTEXT, original, transformed);
        for (int length : new int[] {0, 3, 12, 8 + original.length, entry.length - 33, entry.length - 1}) {
            assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, Arrays.copyOf(entry, length)))
                    .as("cut at %d", length)
                    .isNull();
        }
        byte[] longer = Arrays.copyOf(entry, entry.length + 1);
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, longer)).isNull();
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, new byte[CacheEntry.MAX_SIZE + 1]))
                .isNull();
        byte[] lyingLength = entry.clone();
        lyingLength[8 + original.length] = (byte) 0x7F; // the transformed length says 2 GB
        assertThat(CacheEntry.open(KEY, FINGERPRINT, CONTEXT, original, lyingLength))
                .isNull();
    }

    @Test
    void theMacIsHmacSha256() throws Exception {
        byte[] message = random(1000);
        Mac jce = Mac.getInstance("HmacSHA256");
        jce.init(new SecretKeySpec(KEY, "HmacSHA256"));
        assertThat(new HmacSha256(KEY).update(message, 0, message.length).finish())
                .isEqualTo(jce.doFinal(message));
    }

    @Test
    void theStructureCheckWantsTheClassAskedForCallingTheBootstrapRuntime() {
        assertThat(WovenClassCheck.isHooked(CONTEXT, transformed)).isTrue();
        assertThat(WovenClassCheck.isHooked(PARAMETERS, otherTransformed)).isTrue();
        assertThat(WovenClassCheck.isHooked(CONTEXT, original)).isFalse();
        assertThat(WovenClassCheck.isHooked(PARAMETERS, transformed)).isFalse();
        assertThat(WovenClassCheck.isHooked(CONTEXT, Arrays.copyOf(transformed, 200)))
                .isFalse();
        assertThat(WovenClassCheck.isHooked(CONTEXT, new byte[0])).isFalse();
    }

    /** What earlier builds wrote: magic, lengths, both class files, CRC-32 of all that. */
    private static byte[] oldCrcEntry(byte[] original, byte[] transformed) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(0x7C5CAC4E);
        out.writeInt(original.length);
        out.write(original);
        out.writeInt(transformed.length);
        out.write(transformed);
        CRC32 crc = new CRC32();
        crc.update(buffer.toByteArray());
        out.writeLong(crc.getValue());
        return buffer.toByteArray();
    }

    private static byte[] jdkClass(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
