package io.tlsguard.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.testsupport.OtlpReceiver;
import io.tlsguard.testsupport.OtlpReceiver.Answer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The exporter in this JVM against the strict receiver: batching, retries, Retry-After, drops, the exit bound. */
class OtlpExporterTest {
    private static final byte[] LINE = LogRecordsTest.HANDSHAKE.getBytes(StandardCharsets.UTF_8);

    private static OtlpExporter exporter(String url) {
        return new OtlpExporter(OtlpEndpoint.of(url, Map.of()), () -> Map.of("service.name", "test"), "t").start();
    }

    private static long deadlineIn(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void a503WithRetryAfterIsRetriedAfterThatDelay() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            receiver.thenAnswer(new Answer(503, "1", 0));
            OtlpExporter exporter = new OtlpExporter(
                    OtlpEndpoint.of(receiver.url(), Map.of()), () -> Map.of("service.name", "test"), "t");
            for (int i = 0; i < 3; i++) { // queued before the thread starts: one batch
                exporter.line(LINE, 0, LINE.length);
            }
            exporter.start();
            assertThat(receiver.await("tls.handshake", Duration.ofSeconds(10))).isTrue();
            assertThat(receiver.problems()).isEmpty();
            assertThat(receiver.requests()).hasSize(2);
            long between = receiver.requests().get(1).receivedNanos()
                    - receiver.requests().get(0).receivedNanos();
            assertThat(TimeUnit.NANOSECONDS.toMillis(between)).isGreaterThanOrEqualTo(950);
            assertThat(receiver.records()).hasSize(3);
            exporter.close(deadlineIn(1000));
            assertThat(exporter.exported()).isEqualTo(3);
            assertThat(exporter.dropped()).isZero();
        }
    }

    @Test
    void aCollectorThatIsDownNeverBlocksTheWriterAndCostsTheExitAtMostItsBudget() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        OtlpExporter exporter = exporter("http://127.0.0.1:" + closedPort);
        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) { // more than the queue holds
            exporter.line(LINE, 0, LINE.length);
        }
        long offering = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(offering).as("20,000 offers, ms").isLessThan(1000);
        Thread.sleep(1200); // the first batch is tried and retried meanwhile
        long closeStart = System.nanoTime();
        exporter.close(deadlineIn(1000));
        long closing = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart);
        assertThat(closing).as("close, ms").isLessThan(1300);
        assertThat(exporter.exported()).isZero();
        assertThat(exporter.dropped()).isEqualTo(20_000);
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            receiver.thenAnswer(new Answer(400, null, 0));
            OtlpExporter exporter = exporter(receiver.url());
            exporter.line(LINE, 0, LINE.length);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (exporter.dropped() == 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(1500); // no retry comes
            exporter.close(deadlineIn(1000));
            assertThat(receiver.requests()).hasSize(1);
            assertThat(exporter.dropped()).isEqualTo(1);
            assertThat(exporter.exported()).isZero();
        }
    }

    @Test
    void aSlowCollectorTimesOutAndTheBatchIsSentAgain() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            receiver.thenAnswer(new Answer(200, null, 1500));
            OtlpExporter exporter = new OtlpExporter(
                            OtlpEndpoint.of(
                                    "env",
                                    Map.of(
                                            "OTEL_EXPORTER_OTLP_ENDPOINT",
                                            receiver.url(),
                                            "OTEL_EXPORTER_OTLP_TIMEOUT",
                                            "300")),
                            () -> Map.of("service.name", "test"),
                            "t")
                    .start();
            exporter.line(LINE, 0, LINE.length);
            assertThat(receiver.await("tls.handshake", Duration.ofSeconds(10))).isTrue();
            assertThat(receiver.requests()).hasSize(2);
            exporter.close(deadlineIn(1000));
            assertThat(exporter.exported()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterIsReadAsSeconds() {
        assertThat(OtlpHttp.retryAfterSeconds("7")).isEqualTo(7);
        assertThat(OtlpHttp.retryAfterSeconds(" 120 ")).isEqualTo(120);
        assertThat(OtlpHttp.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(-1);
        assertThat(OtlpHttp.retryAfterSeconds("-1")).isEqualTo(-1);
        for (int i = 0; i < 100; i++) {
            assertThat(OtlpExporter.jittered(1000)).isBetween(500L, 1000L);
        }
    }
}
