package io.tlsguard.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time newline search finds what a byte-by-byte search finds, wherever the newline and its neighbours. */
class NewlinesTest {
    /** Bytes next to '\n' (0x0A) in value, where the arithmetic could mistake one for the other. */
    private static final byte[] NEAR = {0x0A, 0x0B, 0x09, 0x00, (byte) 0x8A, (byte) 0xFF, 0x0D, 0x7F, 0x01};

    @Test
    void findsTheSameNewlinesAsAByteByByteSearch() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = NEAR[random.nextInt(NEAR.length)];
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(Newlines.next(bytes, from, to)).as("round %d", round).isEqualTo(naive(bytes, from, to));
        }
    }

    private static int naive(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
