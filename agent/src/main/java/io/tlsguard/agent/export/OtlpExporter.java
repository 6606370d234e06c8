package io.tlsguard.agent.export;

import io.tlsguard.agent.report.LineTap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Sends the report's lines to an OpenTelemetry collector as log records (OTLP/HTTP JSON), on its own
 * daemon thread. The report writer hands it each line ({@link #line}): a copy into a queue bounded in
 * records and in bytes, never a wait; a full queue drops the line, counted. The exporter's thread sends
 * the first line at once, then batches (up to {@link #BATCH} records, or what came within
 * {@link #BATCH_DELAY_MILLIS}), retries a
 * batch on 429, 502, 503, 504 and connection errors with exponential backoff and jitter (or after the
 * collector's {@code Retry-After}, capped), and gives a batch up after {@link #GIVE_UP_MILLIS}: what
 * cannot be sent is counted as dropped and said once on stderr. A collector that is down, slow or
 * refusing only ever holds this thread; the host's threads and the report file never wait for it.
 *
 * <p>Every line taken is exported or dropped: taken == exported + dropped + (in flight).
 */
public final class OtlpExporter implements LineTap {
    static final int CAPACITY = 8192;
    static final long MAX_QUEUED_BYTES = 8L << 20;
    static final int BATCH = 512;
    static final long BATCH_DELAY_MILLIS = 1000;
    /** How long one batch is retried before it is dropped (the queue behind it holds what comes meanwhile). */
    static final long GIVE_UP_MILLIS = 30_000;

    static final long FIRST_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    /** A Retry-After further away than this is waited for this long (then the batch is retried or given up). */
    static final long MAX_RETRY_AFTER_MILLIS = 30_000;

    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final OtlpEndpoint endpoint;
    private final OtlpHttp http;
    private final Supplier<Map<String, Object>> resource;
    private final String version;
    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    /** Of the lines taken, those exported or dropped since: the rest are queued or in flight. */
    private final AtomicLong settled = new AtomicLong();

    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<String> firstDrop = new AtomicReference<>();
    private boolean dropsSaid; // exporter thread only
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean closing;
    /** Set at close: the exporter's last moment (System.nanoTime); nothing is sent after it. */
    private volatile long deadlineNanos;
    /** Set when close stopped waiting: what is left was counted as dropped there, the thread counts no more. */
    private volatile boolean abandoned;
    /** Why the last attempt failed (null: it did not): said at exit with what was not sent. */
    private volatile String lastFailure;

    /**
     * @param resource the JVM's identity, as OTLP resource attributes (in order): asked once, when the first
     *     line is sent (the report writer detects it before its first line)
     * @param version tlsguard's version, the instrumentation scope's
     */
    public OtlpExporter(OtlpEndpoint endpoint, Supplier<Map<String, Object>> resource, String version) {
        this.endpoint = endpoint;
        this.http = new OtlpHttp(endpoint, version);
        this.resource = resource;
        this.version = version;
        this.thread = new Thread(
                new Runnable() { // not a lambda: see ReportWriter
                    @Override
                    public void run() {
                        export();
                    }
                },
                "tlsguard-otlp-exporter");
        thread.setDaemon(true);
    }

    public OtlpExporter start() {
        thread.start();
        return this;
    }

    /** The thread that makes the exporter's connections (its TLS, to an https collector, is not the host's). */
    public Thread thread() {
        return thread;
    }

    public OtlpEndpoint endpoint() {
        return endpoint;
    }

    public long exported() {
        return exported.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Called by the report writer's thread: copies the line into the queue, or counts it as dropped. */
    @Override
    public void line(byte[] utf8, int offset, int length) {
        if (closing) {
            drop(1, "the export was closed");
            return;
        }
        if (queuedBytes.addAndGet(length) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-length);
            drop(1, "the export queue is full (" + (MAX_QUEUED_BYTES >> 20) + " MB)");
            return;
        }
        taken.incrementAndGet(); // before the exporter's thread can settle it
        if (!queue.offer(Arrays.copyOfRange(utf8, offset, offset + length))) {
            taken.decrementAndGet();
            queuedBytes.addAndGet(-length);
            drop(1, "the export queue is full (" + CAPACITY + " records)");
        }
    }

    private void drop(long n, String why) {
        if (n <= 0) {
            return;
        }
        dropped.addAndGet(n);
        firstDrop.compareAndSet(null, why);
    }

    /** Lines the exporter's thread took from the queue and dropped. */
    private void dropTaken(long n, String why) {
        if (n <= 0 || abandoned) {
            return;
        }
        settled.addAndGet(n);
        drop(n, why);
    }

    private void export() {
        try {
            LogRecords records = null; // made for the first batch: the identity is known by then
            List<byte[]> lines = new ArrayList<>(BATCH);
            long batchStart = 0;
            boolean first = true;
            while (!abandoned) {
                boolean closingNow = closing;
                int before = lines.size();
                queue.drainTo(lines, BATCH - before);
                for (int i = before; i < lines.size(); i++) {
                    queuedBytes.addAndGet(-lines.get(i).length);
                }
                if (lines.isEmpty()) {
                    sayDropsOnce();
                    if (closingNow) {
                        break;
                    }
                    LockSupport.parkNanos(this, IDLE_NANOS);
                    continue;
                }
                long now = System.nanoTime();
                if (batchStart == 0) {
                    batchStart = now;
                }
                // the first batch goes at once: it loads the transport and opens the connection, so that a
                // short-lived JVM's exit, with the summary, only sends over a warm connection
                boolean due = first
                        || lines.size() >= BATCH
                        || closingNow
                        || now - batchStart >= TimeUnit.MILLISECONDS.toNanos(BATCH_DELAY_MILLIS);
                if (!due) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                    continue;
                }
                if (records == null) {
                    records = new LogRecords(identity(), version);
                }
                send(records, lines);
                first = false;
                lines.clear();
                batchStart = 0;
                sayDropsOnce();
            }
        } catch (Throwable t) {
            dropTaken(Math.max(0, taken.get() - settled.get()), "the exporter stopped: " + t);
            System.err.println("tlsguard: the OTLP exporter stopped: " + t);
        } finally {
            finished.countDown();
        }
    }

    /** The resource's attributes; service.name at least, as OTLP requires (the SDK's default when unknown). */
    private Map<String, Object> identity() {
        Map<String, Object> given = resource.get();
        if (given != null && given.containsKey("service.name")) {
            return given;
        }
        Map<String, Object> fallback = new LinkedHashMap<>();
        fallback.put("service.name", "unknown_service:java");
        if (given != null) {
            fallback.putAll(given);
        }
        return fallback;
    }

    /** Maps and sends one batch, retrying as the specification says; every line ends exported or dropped. */
    private void send(LogRecords records, List<byte[]> lines) {
        List<byte[]> mapped = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            try {
                mapped.add(records.record(line, 0, line.length));
            } catch (IOException | RuntimeException e) {
                dropTaken(1, "a line could not be mapped to a log record: " + e);
            }
        }
        if (mapped.isEmpty()) {
            return;
        }
        int count = mapped.size();
        byte[] body = records.request(mapped);
        long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            long limit = closing ? Math.min(giveUpAt, deadlineNanos) : giveUpAt;
            long left = TimeUnit.NANOSECONDS.toMillis(limit - System.nanoTime());
            if (left <= 0) {
                dropTaken(count, "the collector at " + endpoint + " did not take them in time");
                return;
            }
            OtlpHttp.Outcome outcome = http.post(body, (int) Math.min(endpoint.timeoutMillis(), left));
            lastFailure = outcome.accepted() ? null : outcome.reason;
            if (outcome.accepted()) {
                long rejected = Math.min(count, outcome.rejected);
                if (!abandoned) {
                    exported.addAndGet(count - rejected);
                    settled.addAndGet(count - rejected);
                }
                dropTaken(rejected, "the collector at " + endpoint + " rejected records: " + outcome.reason);
                return;
            }
            if (!outcome.retryable) {
                dropTaken(count, "the collector at " + endpoint + " refused them: " + outcome.reason);
                return;
            }
            long wait;
            if (outcome.retryAfterMillis >= 0) {
                wait = Math.min(outcome.retryAfterMillis, MAX_RETRY_AFTER_MILLIS);
            } else {
                wait = jittered(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
            if (!sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait), giveUpAt)) {
                dropTaken(count, "the collector at " + endpoint + " is unavailable: " + outcome.reason);
                return;
            }
        }
    }

    /** Backoff with jitter: 50% to 100% of {@code millis}, so a fleet's retries do not arrive together. */
    static long jittered(long millis) {
        return millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    }

    /** Sleeps until {@code wakeNanos}; false (at once) when that is past the limit, which close may bring closer. */
    private boolean sleepUntil(long wakeNanos, long giveUpAt) {
        while (true) {
            long limit = closing ? Math.min(giveUpAt, deadlineNanos) : giveUpAt;
            if (wakeNanos - limit > 0 || abandoned) {
                return false;
            }
            long left = wakeNanos - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, Math.min(left, IDLE_NANOS));
        }
    }

    private void sayDropsOnce() {
        String why = firstDrop.get();
        if (why != null && !dropsSaid) {
            dropsSaid = true;
            System.err.println("tlsguard: OTLP log records are being dropped (" + printable(why)
                    + "); they are counted in status (tlsguard.otlp.dropped)");
        }
    }

    /**
     * At exit or detach, after the report writer closed (its summary is queued here by then): sends what
     * is queued and waits for it until {@code deadlineNanos} at most (the exit's one budget, shared with
     * the report writer). What is still unsent then is counted as dropped and said on stderr.
     */
    public void close(long deadlineNanos) {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        this.deadlineNanos = deadlineNanos;
        closing = true;
        LockSupport.unpark(thread);
        boolean done = false;
        try {
            long left = deadlineNanos - System.nanoTime();
            done = left > 0 && finished.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) {
            long unsent = Math.max(0, taken.get() - settled.get());
            dropped.addAndGet(unsent);
            abandoned = true;
            String why = lastFailure;
            notice("tlsguard: " + unsent + " OTLP log records were not sent to " + endpoint
                    + " before the JVM's exit (" + (why == null ? "the collector is slow" : printable(why)) + "); "
                    + dropped.get() + " dropped in all");
        }
    }

    /** Printed on a daemon thread, waited for briefly: stderr itself may be stuck. */
    private static void notice(final String line) {
        Thread t = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        System.err.println(line);
                    }
                },
                "tlsguard-otlp-notice");
        t.setDaemon(true);
        t.start();
        try {
            t.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
