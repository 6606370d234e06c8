package io.tlsguard.agent.weaving;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;

/**
 * HMAC-SHA256 (RFC 2104) on the JDK's own SHA-256 ({@link MessageDigest}), not {@code javax.crypto.Mac}:
 * a warm start verifies every cached class with it before the host's first TLS call, and a cold
 * {@code Mac.getInstance("HmacSHA256")} plus {@code init} cost 70-90 ms on JDK 8 (the signed JCE jar is
 * verified) and 75-120 ms on JDK 17, against 12-38 ms for {@code MessageDigest.getInstance("SHA-256")},
 * whose provider set-up the host's TLS needs right after anyway (figures in docs/how-it-works.md).
 * A test checks the result against {@code Mac}.
 */
final class HmacSha256 {
    static final int LENGTH = 32;
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final byte[] outerPad = new byte[BLOCK];

    /** @param key 32 random bytes (at most one block: longer keys would have to be hashed first) */
    HmacSha256(byte[] key) throws NoSuchAlgorithmException {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("key longer than a block");
        }
        inner = sha256();
        byte[] innerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        inner.update(innerPad);
    }

    HmacSha256 update(byte[] bytes, int offset, int length) {
        inner.update(bytes, offset, length);
        return this;
    }

    /** The MAC of everything given to {@link #update}; this object is then used up. */
    byte[] finish() throws NoSuchAlgorithmException {
        byte[] innerHash = inner.digest();
        MessageDigest outer = sha256();
        outer.update(outerPad);
        return outer.digest(innerHash);
    }

    /**
     * The JDK's own SHA-256 ("SUN"): this runs inside the transformer while a JDK class loads, where an
     * application's provider (perhaps being installed at that very moment) has no business; the default
     * lookup only where a JDK has no "SUN" provider.
     */
    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchProviderException | NoSuchAlgorithmException notThere) {
            return MessageDigest.getInstance("SHA-256");
        }
    }
}
