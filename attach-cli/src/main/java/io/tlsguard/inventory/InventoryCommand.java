package io.tlsguard.inventory;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tlsguard-attach inventory}: the fleet's readiness for a TLS floor, from report files. */
@CommandLine.Command(
        name = "inventory",
        mixinStandardHelpOptions = true,
        description = {
            "Reads tlsguard reports (files, and directories searched for *.jsonl) from any number of JVMs, hosts and "
                    + "restarts, and tells per service whether it is ready for the floor, and if not, why: legacy "
                    + "handshakes (to which peers, from which clients), legacy pins and their call sites, handshakes "
                    + "failing for a legacy pin. Lines cut short, not tlsguard's, or from a tlsguard without "
                    + "service.name are skipped and counted. See docs/fleet.md."
        })
public final class InventoryCommand implements Callable<Integer> {
    /** The output formats. */
    public enum Format {
        text,
        csv,
        json,
        html
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--format",
            paramLabel = "text|csv|json|html",
            description = "text (default, for a terminal), csv (a row per service and finding), json "
                    + "(docs/inventory.schema.json), html (one self-contained page)")
    Format format = Format.text;

    @Option(
            names = "--min",
            paramLabel = "TLSv1.2|TLSv1.3",
            description = "the floor to check against (default TLSv1.2)")
    String min = "TLSv1.2";

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "write to FILE (replaced) instead of standard output")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "report files and directories")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        if (!min.equals("TLSv1.2") && !min.equals("TLSv1.3")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--min: expected TLSv1.2 or TLSv1.3, got '" + min + "'");
        }
        Fleet fleet = read(paths, min);
        if (output == null) {
            if (!render(fleet, spec.commandLine().getOut())) {
                spec.commandLine()
                        .getErr()
                        .println("tlsguard-attach: error: could not write the inventory to standard output");
                return 1;
            }
        } else {
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8);
                    PrintWriter out = new PrintWriter(w)) {
                if (!render(fleet, out)) {
                    spec.commandLine().getErr().println("tlsguard-attach: error: could not write " + output);
                    return 1;
                }
            }
            spec.commandLine()
                    .getErr()
                    .println("wrote " + output + ": " + fleet.services.map.size() + " service(s), "
                            + JsonFormat.count(fleet, false) + " not ready for " + min);
        }
        if (fleet.filesUnreadable > 0) {
            spec.commandLine()
                    .getErr()
                    .println("note: " + fleet.filesUnreadable + " file(s) could not be read: "
                            + TextFormat.safe(fleet.unreadable.get(0).path) + ": " + fleet.unreadable.get(0).reason
                            + (fleet.filesUnreadable > 1 ? " (and more, listed in the output)" : ""));
        }
        return 0;
    }

    /** Reads every report under {@code paths} into one fleet. */
    static Fleet read(List<Path> paths, String floor) throws IOException {
        Fleet fleet = new Fleet(floor);
        List<Path> files = ReportFiles.find(paths, fleet);
        int threads =
                Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS), files.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inventory-reader");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<ReportReader> readers = ThreadLocal.withInitial(ReportReader::new);
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (Path file : files) {
                reads.add(pool.submit(() -> readers.get().read(file, fleet)));
            }
            for (Future<?> f : reads) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException("reading the reports failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return fleet;
    }

    /** Files are read in parallel, one a thread, by at most this many threads (one a core). */
    static final int MAX_THREADS = 8;

    /** Writes the inventory; false when the output failed (a full disk, a closed pipe). */
    private boolean render(Fleet fleet, PrintWriter out) throws IOException {
        switch (format) {
            case json:
                JsonFormat.write(fleet, out);
                break;
            case csv:
                CsvFormat.write(fleet, out);
                break;
            case html:
                HtmlFormat.write(fleet, out);
                break;
            default:
                TextFormat.write(fleet, out);
        }
        out.flush();
        return !out.checkError();
    }
}
