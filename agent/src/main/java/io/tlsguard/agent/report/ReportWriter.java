package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes events as JSON lines on its own daemon thread. Hooked threads only {@link #offer} to a bounded
 * queue: they never wait, never touch the disk. A full queue or a failing disk drops events; drops are
 * counted and said once on stderr.
 */
public final class ReportWriter {
    /** Bounded: about 8,192 events of a few hundred bytes each, a few MB at most. */
    static final int CAPACITY = 8192;
    private static final int BATCH = 256;

    private final String target;
    private final OutputStream out;
    private final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
    /** Made by the writer thread as it starts: loading Jackson is not the host's startup's business. */
    private JsonFactory json;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;
    private boolean broken;

    private ReportWriter(String target, OutputStream out) {
        this.target = target;
        this.out = out;
        // no lambdas on tlsguard's start and exit paths: on JDK 8 the first one in a JVM loads ~60 classes
        this.thread = new Thread(new Runnable() {
            @Override
            public void run() {
                drain();
            }
        }, "tlsguard-report-writer");
        thread.setDaemon(true);
    }

    /**
     * Opens the report: "stderr", or a file created readable by its owner only (appended to when it
     * exists; a symbolic link is refused so a shared temp directory cannot redirect it).
     */
    public static ReportWriter open(String target) throws IOException {
        OutputStream out;
        if (target.equals("stderr")) {
            out = new FileOutputStream(FileDescriptor.err);
        } else {
            Path path = FileSystems.getDefault().getPath(target).toAbsolutePath();
            Set<OpenOption> options = new HashSet<>();
            options.add(StandardOpenOption.CREATE);
            options.add(StandardOpenOption.WRITE);
            options.add(StandardOpenOption.APPEND);
            options.add(LinkOption.NOFOLLOW_LINKS);
            FileAttribute<?>[] attributes = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
                throw new IOException("directory " + path.getParent() + " does not exist");
            }
            // buffered: the writer flushes whenever its queue runs empty, not once per event
            out = new BufferedOutputStream(Channels.newOutputStream(Files.newByteChannel(path, options, attributes)), 1 << 16);
            target = path.toString();
        }
        ReportWriter writer = new ReportWriter(target, out);
        writer.thread.start();
        return writer;
    }

    /** Where the report goes: an absolute path, or "stderr". */
    public String target() {
        return target;
    }

    /** Never blocks: false (and counted) when the queue is full or the writer is closed. */
    public boolean offer(Event event) {
        if (!closed && queue.offer(event)) {
            return true;
        }
        drop(1, "the report queue is full (" + CAPACITY + " events)");
        return false;
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void drop(long n, String why) {
        dropped.addAndGet(n);
        if (warned.compareAndSet(false, true)) {
            System.err.println("tlsguard: events are being dropped: " + why
                    + "; they are counted in the report's summary (tlsguard.events.dropped)");
        }
    }

    /**
     * How long the writer sleeps when the queue is empty. Hooked threads never wake it: a wake-up per
     * event (a futex call on the handshaking thread, a context switch on a busy core) cost more than the
     * event. The queue holds {@link #CAPACITY} events, so this drains up to ~400,000 events/s.
     */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private void drain() {
        jsonFactory();
        List<Event> batch = new ArrayList<>(BATCH);
        boolean dirty = false;
        while (!closed) {
            try {
                if (queue.drainTo(batch, BATCH) > 0) {
                    writeAll(batch);
                    batch.clear();
                    dirty = true;
                    continue;
                }
                if (dirty) {
                    flush();
                    dirty = false;
                }
                LockSupport.parkNanos(this, IDLE_NANOS);
            } catch (Throwable t) {
                batch.clear(); // a writer that dies would silently drop everything after
            }
        }
    }

    private synchronized void writeAll(List<Event> events) {
        for (Event event : events) {
            write(event);
        }
    }

    private synchronized JsonFactory jsonFactory() {
        if (json == null) {
            json = new JsonFactory();
        }
        return json;
    }

    private synchronized void write(Event event) {
        if (broken) {
            drop(1, "writing " + target + " failed earlier");
            return;
        }
        try {
            line.reset();
            try (JsonGenerator generator = jsonFactory().createGenerator(line, JsonEncoding.UTF8)) {
                event.write(generator);
            }
            line.write('\n');
            line.writeTo(out);
            written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException && !(e instanceof com.fasterxml.jackson.core.JsonProcessingException)) {
                broken = true;
                drop(1, "cannot write " + target + ": " + e.getMessage());
            } else {
                drop(1, "an event could not be serialised: " + e);
            }
        }
    }

    private synchronized void flush() {
        if (!broken) {
            try {
                out.flush();
            } catch (IOException e) {
                broken = true;
                drop(0, "cannot write " + target + ": " + e.getMessage());
            }
        }
    }

    /**
     * Stops the writer: what is queued is written, then {@code last} (the summary), then the file is
     * flushed and closed (stderr is only flushed). Waits at most about a second for the writer thread.
     */
    public void close(java.util.function.Supplier<Event> last) {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Event> rest = new ArrayList<>();
        queue.drainTo(rest);
        writeAll(rest);
        if (last != null) {
            write(last.get());
        }
        flush();
        if (!target.equals("stderr")) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing more to say
            }
        }
    }
}
