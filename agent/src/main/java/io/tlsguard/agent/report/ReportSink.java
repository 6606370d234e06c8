package io.tlsguard.agent.report;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where the writer thread puts whole lines: a report file, or the process's stderr. Only the writer
 * thread calls it, so a write that blocks (a FIFO or a pipe nobody reads) blocks that thread alone.
 */
abstract class ReportSink {
    private final String target;
    private final String requested;

    ReportSink(String target, String requested) { // package-private: tests make stuck sinks
        this.target = target;
        this.requested = requested;
    }

    /** Where the report goes: an absolute path, or "stderr". */
    final String target() {
        return target;
    }

    /** The report= option this was opened for (null: the default location): a later attach compares it. */
    final String requested() {
        return requested;
    }

    /**
     * Writes {@code lines} (whole lines) completely or not at all: when the write fails, whatever part of
     * it reached the file is taken back, so the file keeps ending in a whole line.
     */
    abstract void writeLines(byte[] lines, int length) throws IOException;

    abstract void close();

    static ReportSink file(FileChannel channel, String target, String requested) {
        return new FileSink(channel, target, requested);
    }

    static ReportSink stderr() {
        return new StderrSink();
    }

    /** report=/dev/null: serialised and counted as written, then discarded (benchmarks measure with it). */
    static ReportSink discard() {
        return new DiscardSink(ReportLocation.DEV_NULL);
    }

    /** report=none: no file at all; the events still go to the OTLP export when there is one. */
    static ReportSink none() {
        return new DiscardSink(ReportLocation.NONE);
    }

    private static final class DiscardSink extends ReportSink {
        DiscardSink(String target) {
            super(target, target);
        }

        @Override
        void writeLines(byte[] lines, int length) {}

        @Override
        void close() {}
    }

    private static final class FileSink extends ReportSink {
        private final FileChannel channel;

        FileSink(FileChannel channel, String target, String requested) {
            super(target, requested);
            this.channel = channel;
        }

        @Override
        void writeLines(byte[] lines, int length) throws IOException {
            long start = channel.size(); // appending: where this batch begins
            ByteBuffer buffer = ByteBuffer.wrap(lines, 0, length);
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                try {
                    if (channel.size() > start) {
                        channel.truncate(start); // a full disk took part of the batch: cut it off at a line's end
                    }
                } catch (IOException ignored) {
                    // the next run starts on a new line anyway (see ReportLocation)
                }
                throw e;
            }
        }

        @Override
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to say
            }
        }
    }

    /** stderr is shared with the host: lines are written, never taken back, and the stream is never closed. */
    private static final class StderrSink extends ReportSink {
        private final FileOutputStream out = new FileOutputStream(FileDescriptor.err);

        StderrSink() {
            super("stderr", "stderr");
        }

        @Override
        void writeLines(byte[] lines, int length) throws IOException {
            out.write(lines, 0, length);
        }

        @Override
        void close() {
            // the host's stream
        }
    }
}
