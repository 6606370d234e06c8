package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes events as JSON lines on its own daemon thread, which alone touches the report (and alone may
 * block in a write, on a FIFO or pipe nobody reads). Hooked threads only {@link #offer} to a bounded
 * queue: they never wait, never touch the disk, never print.
 *
 * <p>Every offered event is written or counted as dropped, with its reason: offered == written + dropped.
 * Lines reach the report in whole batches; a batch the disk refuses is taken back whole and counted.
 * Closing (at exit) waits for the writer at most {@link #CLOSE_WAIT_MILLIS}, then says on stderr what
 * was not written.
 */
public final class ReportWriter {
    /** Bounded: about 8,192 events of a few hundred bytes each, a few MB at most. */
    static final int CAPACITY = 8192;

    private static final int BATCH = 256;
    /** The longest tlsguard delays the host's exit (or a detach) for its report. */
    public static final long CLOSE_WAIT_MILLIS = 1000;
    /** Of that, the longest a stuck stderr may take to be told what was lost. */
    private static final long NOTICE_WAIT_MILLIS = 200;

    private final ReportSink sink;
    private final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /**
     * Offers refused after the summary's cut: in {@link #dropped()} (status) but never in the summary, whose
     * counts they are not part of. Kept apart so the summary can be made from a cut no late drop moves.
     */
    private final AtomicLong droppedAfterSummary = new AtomicLong();
    /**
     * Events the writer took from the queue and has neither written nor dropped yet (what a stuck write holds).
     * With the queue's size, what close() says was not written; counted by the writer alone, so the hooked
     * threads do not share a counter for it (issue 14).
     */
    private volatile int inFlight;
    /** Offers between their closed/sealed check and their end: the last drain and the summary wait for them. */
    private final AtomicInteger offering = new AtomicInteger();
    /** The first reason events were dropped; said once on stderr, by the writer thread, never by a hooked one. */
    private final AtomicReference<String> firstDrop = new AtomicReference<>();

    private boolean dropsSaid; // writer thread only
    private final Lines lines = new Lines();
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Closed: events are no longer queued. Sealed (later): the summary is taken, events no longer counted in it. */
    private volatile boolean closed;

    private volatile boolean sealed;
    private volatile String closedBecause = "the JVM is exiting";
    private volatile ExitSummary last;
    /** Where a copy of each line goes too (the OTLP export), or null. */
    private volatile LineTap tap;
    /** The service= option (null: not given) and pid, for the identity the writer thread detects once. */
    private final String service;

    private final String pid;
    /** This JVM's identity on every line: detected by the writer thread before its first line. */
    private volatile Resource resource;

    ReportWriter(ReportSink sink) { // package-private: tests give it their own sinks
        this(sink, null, null);
    }

    ReportWriter(ReportSink sink, String service, String pid) {
        this.sink = sink;
        this.service = service;
        this.pid = pid;
        // no lambdas on tlsguard's start and exit paths: on JDK 8 the first one in a JVM loads ~60 classes
        this.thread = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        drain();
                    }
                },
                "tlsguard-report-writer");
        thread.setDaemon(true);
    }

    /**
     * Opens the report named by the {@code report=} option ("stderr", a path with %p for the pid, or null
     * for the default location: see {@link ReportLocation}) and starts its writer thread.
     */
    public static ReportWriter open(String option, String pid, String service) throws IOException {
        return new ReportWriter(ReportLocation.open(option, pid), service, pid).start();
    }

    /** The identity this writer's lines carry; null until its thread detected it (just after start). */
    public Resource resource() {
        return resource;
    }

    ReportWriter start() {
        thread.start();
        return this;
    }

    /** From now on, every line serialised is also handed to {@code tap} (null: to nobody). */
    public void tapLines(LineTap tap) {
        this.tap = tap;
    }

    /** The first reason events were dropped (null: none were). */
    String firstDropReason() {
        return firstDrop.get();
    }

    /** Where the report goes: an absolute path, or "stderr". */
    public String target() {
        return sink.target();
    }

    /**
     * Whether this writer already writes where that {@code report=} option (null: the default location)
     * points: a later attach keeps it then. The attach CLI passes the current path back explicitly.
     */
    public boolean writesTo(String option, String pid) {
        if (option == null) {
            return sink.requested() == null;
        }
        if (option.equals(sink.requested())) {
            return true;
        }
        try {
            return java.nio.file.Paths.get(option.replace("%p", pid))
                    .toAbsolutePath()
                    .normalize()
                    .toString()
                    .equals(sink.target());
        } catch (RuntimeException invalidPath) {
            return false;
        }
    }

    /** Never blocks: false (and counted as dropped, with the reason) when the queue is full or closed. */
    public boolean offer(Event event) {
        return admit(event, null, null);
    }

    /**
     * A handshake, counted in {@code summary} unless the summary was already taken: the summary's
     * handshake count then matches its written + dropped.
     */
    public boolean offerHandshake(HandshakeEvent event, Summary summary) {
        return admit(event, event, summary);
    }

    private boolean admit(Event event, HandshakeEvent handshake, Summary summary) {
        offering.incrementAndGet();
        try {
            if (sealed) { // after the summary's cut: counted as dropped (status), not in the summary
                droppedAfterSummary.incrementAndGet();
                firstDrop.compareAndSet(null, closedBecause);
                return false;
            }
            if (summary != null) {
                summary.handshake(handshake);
            }
            if (closed) {
                drop(1, closedBecause);
                return false;
            }
            if (queue.offer(event)) {
                return true;
            }
            drop(1, "the report queue is full (" + CAPACITY + " events)");
            return false;
        } finally {
            offering.decrementAndGet();
        }
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get() + droppedAfterSummary.get();
    }

    private void drop(long n, String why) {
        dropped.addAndGet(n);
        firstDrop.compareAndSet(null, why);
    }

    /**
     * How long the writer sleeps when the queue is empty. Hooked threads never wake it: a wake-up per
     * event (a futex call on the handshaking thread, a context switch on a busy core) cost more than the
     * event. The queue holds {@link #CAPACITY} events, so this drains up to ~400,000 events/s.
     */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private void drain() {
        try {
            JsonFactory json = new JsonFactory(); // made here: loading Jackson is not the host's startup's business
            resource = detectResource(); // here too: reading files and the environment, once
            List<Event> batch = new ArrayList<>(BATCH);
            while (true) {
                boolean closing = closed;
                if (closing) {
                    awaitOffers();
                }
                if (queue.drainTo(batch, BATCH) > 0) {
                    writeBatch(json, batch);
                    batch.clear();
                    continue;
                }
                sayDropsOnce();
                if (closing) {
                    break;
                }
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
            sealed = true; // one consistent cut: the summary's counts and written/dropped, taken together
            awaitOffers();
            ExitSummary summary = last;
            if (summary != null) { // offers from now on count in droppedAfterSummary: this cut stays exact
                writeSummary(json, summary.at(written.get(), dropped.get()));
            }
        } catch (Throwable t) {
            System.err.println("tlsguard: the report writer stopped: " + t);
        } finally {
            sink.close();
            finished.countDown();
        }
    }

    /** This JVM's identity; what cannot be detected is left out, and the lines are written regardless. */
    private Resource detectResource() {
        try {
            return Resource.detect(service, pid);
        } catch (RuntimeException e) {
            return Resource.of(service, pid, null, null, null, null, null, null);
        }
    }

    /**
     * After close: offers that saw "open" are about to enqueue. Usually microseconds, but a busy machine
     * can hold them longer (the first handshakes wait for class initialisation), and the summary must not
     * be taken before they are in the queue. No deadline here: close() bounds what the host waits.
     */
    private void awaitOffers() {
        while (offering.get() > 0) {
            LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    private void writeBatch(JsonFactory json, List<Event> batch) {
        lines.reset();
        int count = 0;
        JsonGenerator generator = null;
        for (Event event : batch) {
            if (generator == null) {
                generator = newGenerator(json);
            }
            if (encode(generator, event)) {
                count++;
            } else {
                generator = null; // left inside the failed event's object: the next one gets a new generator
            }
        }
        release(generator);
        if (count == 0) {
            return;
        }
        inFlight = count;
        try {
            sink.writeLines(lines.bytes(), lines.size());
            written.addAndGet(count);
        } catch (IOException e) {
            drop(count, why(e));
        } catch (RuntimeException | Error e) { // the writer must outlive any failure, or later events go uncounted
            drop(count, "cannot write " + printableTarget() + ": " + e);
        }
        inFlight = 0;
    }

    /**
     * One generator serves a whole batch, each event a root value of its own, flushed into {@link #lines} and
     * ended by a newline there: a generator per line (made and released) was 7 % of the writer's CPU (issue 14).
     * Null when Jackson cannot make one: the batch's events are then dropped one by one, counted.
     */
    private JsonGenerator newGenerator(JsonFactory json) {
        try {
            JsonGenerator generator = json.createGenerator(lines, JsonEncoding.UTF8);
            generator.setRootValueSeparator(null); // the newline is written to lines, after the flush
            return generator;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void release(JsonGenerator generator) {
        if (generator != null) {
            try {
                generator.close(); // nothing left open in it; returns its buffers to Jackson's recycler
            } catch (IOException | RuntimeException ignored) {
                // lines (a byte array) does not fail; nothing to say
            }
        }
    }

    /** Appends one event's line to {@link #lines}; an event that cannot be serialised is dropped alone. */
    private boolean encode(JsonGenerator generator, Event event) {
        int start = lines.size();
        try {
            if (generator == null) {
                throw new IOException("no JSON generator");
            }
            event.write(generator, resource);
            generator.flush();
            tap(start, lines.size() - start);
            lines.write('\n');
            return true;
        } catch (IOException | RuntimeException | Error e) { // dropped alone: the writer goes on
            lines.truncate(start);
            drop(1, "an event could not be serialised: " + e);
            return false;
        }
    }

    private void tap(int start, int length) {
        LineTap t = tap;
        if (t != null) {
            try {
                t.line(lines.bytes(), start, length);
            } catch (RuntimeException | Error e) { // the tap counts its own losses; the report goes on
                // nothing to add
            }
        }
    }

    private void writeSummary(JsonFactory json, Event summary) {
        lines.reset();
        JsonGenerator generator = newGenerator(json);
        boolean encoded = encode(generator, summary);
        release(encoded ? generator : null);
        if (!encoded) {
            return;
        }
        try {
            sink.writeLines(lines.bytes(), lines.size());
        } catch (IOException | RuntimeException e) {
            System.err.println("tlsguard: the report's summary could not be written (" + why(e) + "): " + written.get()
                    + " events were written to " + printableTarget() + ", " + dropped.get() + " dropped");
        }
    }

    private String why(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String why = "cannot write " + printableTarget() + ": " + message;
        return message.contains("No space left") || message.contains("Disk quota") ? "disk full: " + why : why;
    }

    private String printableTarget() {
        return ReportLocation.printable(sink.target());
    }

    private void sayDropsOnce() {
        String why = firstDrop.get();
        if (why != null && !dropsSaid) {
            dropsSaid = true;
            System.err.println(
                    "tlsguard: report events are being dropped (" + ReportLocation.printable(why)
                            + "); they are counted in status and, if it can be written, in the report's summary (tlsguard.events.dropped)");
        }
    }

    /**
     * Stops the writer: what is queued is written, then {@code summary} (when not null), then the file is
     * closed (stderr is left open). Events offered from now on are dropped because {@code why}. Waits at
     * most {@link #CLOSE_WAIT_MILLIS} for the writer thread and never takes a lock it may hold: when the
     * report is stuck (a FIFO or pipe nobody reads), says once on stderr what was not written, and returns.
     */
    public void close(ExitSummary summary, String why) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        last = summary;
        closedBecause = why;
        closed = true;
        LockSupport.unpark(thread);
        boolean done = false;
        try {
            done = finished.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) {
            long unwritten = queue.size() + inFlight; // the queue's lock is never held across a write
            long left =
                    CLOSE_WAIT_MILLIS + NOTICE_WAIT_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            noticeWithin(
                    "tlsguard: the report is stuck (writing to " + printableTarget()
                            + " does not return: nobody reads it?); "
                            + unwritten + " events were not written" + (summary != null ? ", nor the summary" : "")
                            + (dropped() > 0 ? ", " + dropped() + " more were dropped" : "")
                            + "; tlsguard stopped waiting after " + CLOSE_WAIT_MILLIS + " ms",
                    Math.max(50, left));
        }
    }

    /**
     * The report's last line, made by the writer thread from its counts at the cut: every event the summary
     * counts was offered before it and is among {@code written} or {@code dropped}; none offered after is.
     */
    public interface ExitSummary {
        Event at(long written, long dropped);
    }

    /** Prints a line on a daemon thread, waiting for it at most {@code millis}: stderr itself may be the stuck stream. */
    private static void noticeWithin(final String line, long millis) {
        Thread notice = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        System.err.println(line);
                    }
                },
                "tlsguard-exit-notice");
        notice.setDaemon(true);
        notice.start();
        try {
            notice.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The batch being encoded: a byte buffer that can be cut back to the end of the last whole line. */
    private static final class Lines extends ByteArrayOutputStream {
        Lines() {
            super(1 << 16);
        }

        void truncate(int size) {
            count = size;
        }

        byte[] bytes() {
            return buf;
        }
    }
}
