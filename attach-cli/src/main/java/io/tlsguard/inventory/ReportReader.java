package io.tlsguard.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one report file line by line into the {@link Fleet}, streaming: one buffer, whatever the file's size. A line
 * longer than {@link #MAX_LINE} bytes is skipped (a report line is a few KB at most); the last line without a newline
 * (a crash, kill -9) is parsed like the others and, being cut, usually counted as invalid JSON. One reader a thread:
 * lines are parsed without a lock and handed to the fleet (which one lock guards) in batches.
 */
final class ReportReader {
    static final int MAX_LINE = 1 << 20;

    static final int BATCH = 2048;

    private final LineParser parser = new LineParser();
    private byte[] buf = new byte[64 * 1024];
    private final List<ReportLine> batch = new ArrayList<>(BATCH);
    private final long[] skips = new long[Fleet.Skip.values().length];

    void read(Path file, Fleet fleet) {
        try (InputStream in = Files.newInputStream(file)) {
            synchronized (fleet) {
                fleet.fileRead();
            }
            int start = 0; // first byte of the current line
            int end = 0; // bytes in buf
            boolean tooLong = false; // the current line passed MAX_LINE: drop it up to its newline
            while (true) {
                if (end == buf.length) {
                    if (start > 0) { // move the current line's start to the front
                        System.arraycopy(buf, start, buf, 0, end - start);
                        end -= start;
                        start = 0;
                    } else if (buf.length < MAX_LINE) {
                        buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
                    } else { // a line longer than MAX_LINE
                        tooLong = true;
                        end = 0;
                    }
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    break;
                }
                int scan = end;
                end += n;
                for (int i = Newlines.next(buf, scan, end); i >= 0; i = Newlines.next(buf, i + 1, end)) {
                    if (tooLong) {
                        skip(Fleet.Skip.TOO_LONG, fleet);
                        tooLong = false;
                    } else {
                        line(start, i, fleet);
                    }
                    start = i + 1;
                }
                if (start == end) {
                    start = 0;
                    end = 0;
                }
            }
            if (tooLong) {
                skip(Fleet.Skip.TOO_LONG, fleet);
            } else if (start < end) {
                line(start, end, fleet);
            }
        } catch (IOException e) {
            synchronized (fleet) {
                fleet.unreadable(file, ReportFiles.reason(e));
            }
        } finally {
            flush(fleet);
        }
    }

    private void skip(Fleet.Skip why, Fleet fleet) {
        skips[why.ordinal()]++;
        if (++pending >= BATCH) {
            flush(fleet);
        }
    }

    private int pending;

    /** Hands the lines parsed since the last flush to the fleet, under its lock. */
    private void flush(Fleet fleet) {
        synchronized (fleet) {
            for (ReportLine l : batch) {
                fleet.accept(l);
            }
            for (Fleet.Skip why : Fleet.Skip.values()) {
                fleet.skipped(why, skips[why.ordinal()]);
            }
        }
        batch.clear();
        java.util.Arrays.fill(skips, 0);
        pending = 0;
    }

    private void line(int from, int to, Fleet fleet) {
        int end = to > from && buf[to - 1] == '\r' ? to - 1 : to;
        if (end == from) {
            return; // an empty line is no line
        }
        ReportLine l = new ReportLine();
        LineParser.Outcome o = parser.parse(buf, from, end - from, l);
        switch (o) {
            case USED:
                batch.add(l);
                if (++pending >= BATCH) {
                    flush(fleet);
                }
                break;
            case INVALID_JSON:
                skip(Fleet.Skip.INVALID_JSON, fleet);
                break;
            case NOT_TLSGUARD:
                skip(Fleet.Skip.NOT_TLSGUARD, fleet);
                break;
            default:
                skip(Fleet.Skip.NO_SERVICE_NAME, fleet);
        }
    }
}
