package io.tlsguard.agent.weaving;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One transform cache entry, sealed by tlsguard and verified before anything of it reaches the JVM:
 * <pre>
 *   u4 magic | u4 n | original class file (n bytes) | u4 m | transformed class file (m bytes) | HMAC-SHA256 (32 bytes)
 * </pre>
 * The MAC, keyed with the cache root's own random key, covers the agent build and JVM (the fingerprint),
 * the class name and every byte before it. An entry is used only when it proves all of that, when the
 * class file the JVM offers is byte for byte its original, and when the transformed bytes are a hooked
 * class of that name ({@link WovenClassCheck}). Anything else is not an entry: the class is woven afresh.
 */
final class CacheEntry {
    /** Not the CRC-framed entries of earlier builds ({@code 0x7C5CAC4E}): those never verify. */
    static final int MAGIC = 0x7C5CAC4F;

    static final int MAX_CLASS_FILE = 1 << 20;
    static final int MAX_SIZE = 12 + 2 * MAX_CLASS_FILE + HmacSha256.LENGTH;

    private CacheEntry() {}

    static byte[] seal(byte[] key, String fingerprint, String internalName, byte[] original, byte[] transformed)
            throws GeneralSecurityException {
        if (original.length > MAX_CLASS_FILE || transformed.length > MAX_CLASS_FILE) {
            throw new IllegalArgumentException("class file larger than " + MAX_CLASS_FILE + " bytes");
        }
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(12 + original.length + transformed.length + HmacSha256.LENGTH);
        writeInt(out, MAGIC);
        writeInt(out, original.length);
        out.write(original, 0, original.length);
        writeInt(out, transformed.length);
        out.write(transformed, 0, transformed.length);
        byte[] body = out.toByteArray();
        byte[] mac = mac(key, fingerprint, internalName, body, body.length);
        out.write(mac, 0, mac.length);
        return out.toByteArray();
    }

    /** The transformed class file of a verified entry for exactly this original; null for anything else. Never throws. */
    static byte[] open(byte[] key, String fingerprint, String internalName, byte[] original, byte[] entry) {
        try {
            int body = entry.length - HmacSha256.LENGTH;
            if (body < 12
                    || entry.length > MAX_SIZE
                    || readInt(entry, 0) != MAGIC
                    || readInt(entry, 4) != original.length) {
                return null;
            }
            int transformedAt = 12 + original.length;
            if (transformedAt > body || readInt(entry, transformedAt - 4) != body - transformedAt) {
                return null; // the lengths must account for every byte before the MAC
            }
            if (!regionEquals(entry, 8, original)) {
                return null;
            }
            byte[] expected = mac(key, fingerprint, internalName, entry, body);
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(entry, body, entry.length))) {
                return null;
            }
            byte[] transformed = Arrays.copyOfRange(entry, transformedAt, body);
            return WovenClassCheck.isHooked(internalName, transformed) ? transformed : null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] mac(byte[] key, String fingerprint, String internalName, byte[] body, int length)
            throws GeneralSecurityException {
        byte[] context = (fingerprint + '\0' + internalName + '\0').getBytes(StandardCharsets.UTF_8);
        return new HmacSha256(key)
                .update(context, 0, context.length)
                .update(body, 0, length)
                .finish();
    }

    private static boolean regionEquals(byte[] entry, int at, byte[] original) {
        // Arrays.equals(byte[], int, int, byte[], int, int) is Java 9+; a copy costs less than the MAC anyway
        return Arrays.equals(Arrays.copyOfRange(entry, at, at + original.length), original);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
