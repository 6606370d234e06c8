package io.tlsguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The writer's promises about exit and accounting, with sinks that misbehave on purpose. */
class ReportWriterTest {
    private static final Event EVENT = new Event() {
        @Override
        public void write(com.fasterxml.jackson.core.JsonGenerator json, Resource resource) throws java.io.IOException {
            json.writeStartObject();
            json.writeStringField("event.name", "test");
            json.writeEndObject();
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }
    };

    /** Keeps what it is given; blocks forever when told to, like a FIFO or a pipe nobody reads. */
    static final class TestSink extends ReportSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch release = new CountDownLatch(1);
        final boolean stuck;

        TestSink(boolean stuck) {
            super("/test/report.jsonl", null);
            this.stuck = stuck;
        }

        @Override
        void writeLines(byte[] lines, int length) throws IOException {
            if (stuck) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            synchronized (bytes) {
                bytes.write(lines, 0, length);
            }
        }

        @Override
        void close() {}

        List<String> lines() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8).lines().toList();
            }
        }
    }

    @Test
    void aStuckReportDelaysCloseByAboutASecondAndSaysWhatWasLost() throws Exception {
        TestSink sink = new TestSink(true);
        ReportWriter writer = new ReportWriter(sink).start();
        for (int i = 0; i < 1000; i++) {
            writer.offer(EVENT);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        try {
            writer.close((written, dropped) -> EVENT, "the JVM is exiting");
        } finally {
            System.setErr(original);
            sink.release.countDown();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(millis).isBetween(900L, 1500L);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("tlsguard: the report is stuck (writing to /test/report.jsonl does not return")
                .contains("1000 events were not written, nor the summary");
    }

    @Test
    void anEventOfferedAfterCloseIsDroppedBecauseTheJvmIsExiting() {
        TestSink sink = new TestSink(false);
        ReportWriter writer = new ReportWriter(sink).start();
        assertThat(writer.offer(EVENT)).isTrue();
        writer.close((written, dropped) -> EVENT, "the JVM is exiting");
        assertThat(writer.offer(EVENT)).isFalse();
        assertThat(writer.written()).isEqualTo(1);
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(writer.firstDropReason()).isEqualTo("the JVM is exiting");
        assertThat(sink.lines()).hasSize(2); // the event and the summary
    }

    /**
     * An offer refused after the summary's cut (a hooked thread that reaches the writer while the summary
     * is being made) is dropped and shown by status, but not in the summary, whose handshake counts never
     * saw it: a CI run once found the summary's written + dropped one above its handshakes that way.
     */
    @Test
    void anOfferAfterTheSummarysCutIsNotInTheSummarysCounts() {
        TestSink sink = new TestSink(false);
        ReportWriter writer = new ReportWriter(sink).start();
        assertThat(writer.offer(EVENT)).isTrue();
        long[] cut = new long[2];
        boolean[] lateOffer = new boolean[1];
        writer.close(
                (written, dropped) -> {
                    lateOffer[0] = writer.offer(EVENT);
                    cut[0] = written;
                    cut[1] = dropped;
                    return EVENT;
                },
                "the JVM is exiting");
        assertThat(lateOffer[0]).isFalse();
        assertThat(cut).containsExactly(1, 0);
        assertThat(writer.dropped()).as("status still counts the late offer").isEqualTo(1);
        assertThat(writer.firstDropReason()).isEqualTo("the JVM is exiting");
        assertThat(sink.lines()).hasSize(2);
    }

    /**
     * One JSON generator serves a batch: an event that fails half-way through its line is dropped alone, and
     * the lines before and after it are whole, each on its own line.
     */
    @Test
    void anEventThatFailsHalfWayIsDroppedAloneAndTheBatchsOtherLinesAreWhole() {
        Event failing = new Event() {
            @Override
            public void write(com.fasterxml.jackson.core.JsonGenerator json, Resource resource) throws IOException {
                json.writeStartObject();
                json.writeStringField("event.name", "half");
                throw new IllegalStateException("broken on purpose");
            }

            @Override
            public Severity severity() {
                return Severity.WARN;
            }
        };
        TestSink sink = new TestSink(false);
        ReportWriter writer = new ReportWriter(sink).start();
        writer.offer(EVENT);
        writer.offer(failing);
        writer.offer(EVENT);
        writer.offer(EVENT);
        writer.close(null, "the JVM is exiting");
        assertThat(sink.lines())
                .containsExactly("{\"event.name\":\"test\"}", "{\"event.name\":\"test\"}", "{\"event.name\":\"test\"}");
        assertThat(writer.written()).isEqualTo(3);
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(writer.firstDropReason()).contains("could not be serialised").contains("broken on purpose");
    }

    /** offered == written + dropped, also for offers racing the close; none is lost uncounted. */
    @Test
    void everyOfferIsWrittenOrCountedWhenCloseRacesOffers() throws Exception {
        for (int round = 0; round < 20; round++) {
            TestSink sink = new TestSink(false);
            ReportWriter writer = new ReportWriter(sink).start();
            AtomicLong offered = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 20_000; i++) {
                        writer.offer(EVENT);
                        offered.incrementAndGet();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            Thread.sleep(round % 5);
            writer.close(null, "the JVM is exiting");
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(writer.written() + writer.dropped()).as("round " + round).isEqualTo(offered.get());
            assertThat(sink.lines()).hasSize((int) writer.written());
        }
    }
}
