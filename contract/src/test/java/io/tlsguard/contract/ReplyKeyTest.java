package io.tlsguard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyKeyTest {

    /** One naming style: tlsguard.segment.segment, lowercase, '_' inside a segment. */
    @Test
    void everyKeyHasTheOneStyle() {
        for (ReplyKey k : ReplyKey.values()) {
            assertThat(k.key()).as(k.name()).matches("tlsguard(\\.[a-z]+(_[a-z]+)*)+");
        }
    }

    /** A key that is also a namespace ("a.b" next to "a.b.c") could not be told apart from an object. */
    @Test
    void noKeyIsThePrefixOfAnother() {
        for (ReplyKey a : ReplyKey.values()) {
            for (ReplyKey b : ReplyKey.values()) {
                assertThat(b.key()).as(a + " vs " + b).doesNotStartWith(a.key() + ".");
            }
        }
    }
}
