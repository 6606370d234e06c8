package io.tlsguard.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jdks.Jdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The compatibility matrix: every row of {@link Apps} on every JDK of the matrix, in every {@link Mode} and
 * {@link Security} configuration, each cell a test (named "app jdkN mode/security") asserting its
 * {@link Expectations expectation}; every report line is checked against docs/report.schema.json. Cells run
 * {@code tlsguard.compat.jobs} at a time. Then writes docs/compatibility.md (a narrowed run: target/compatibility.md).
 *
 * <p>Narrowing: {@code -Dtlsguard.it.only=jdk17}, {@code -Dtlsguard.compat.apps=okhttp,jetty94},
 * {@code -Dtlsguard.compat.modes=none,enforce}.
 */
class CompatibilityMatrixIT {
    private static final Map<Cell, Future<CellResult>> CELLS = new LinkedHashMap<>();
    private static PeerServers peers;
    private static ExecutorService pool;
    private static Path work;
    private static long started;

    @BeforeAll
    static void startPeers() throws Exception {
        for (App app : Apps.ALL) {
            Path jar = Artifacts.sampleApp(app.module());
            assertTrue(
                    Files.isRegularFile(jar),
                    app.id() + ": no " + jar + " (mvn -pl sample-apps/" + app.module() + " -am package)");
        }
        assertTrue(Files.isRegularFile(Artifacts.agentJar()), "no agent jar " + Artifacts.agentJar());
        if (selectedApps().stream().anyMatch(a -> a.has(App.Check.OPENTELEMETRY_AGENT))) {
            assertTrue(
                    Files.isRegularFile(OpenTelemetryAgent.jar()),
                    "no OpenTelemetry agent " + OpenTelemetryAgent.jar());
        }
        Openssl.require();
        work = Files.createTempDirectory("tlsguard-compat-");
        System.out.println("the cells' reports and the servers' output: " + work
                + (Boolean.getBoolean("tlsguard.compat.keep")
                        ? " (kept)"
                        : " (-Dtlsguard.compat.keep=true keeps them)"));
        peers = PeerServers.start(work);
        pool = Executors.newFixedThreadPool(jobs());
        started = System.nanoTime();
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        CellRunner runner = new CellRunner(peers, work);
        List<Cell> cells = cells();
        // the slowest first (the OpenTelemetry row, then servers): the pool's last minutes are not one long cell
        cells.sort(Comparator.comparingInt(CompatibilityMatrixIT::slowness).reversed());
        for (Cell cell : cells) {
            CELLS.put(cell, pool.submit(() -> runner.run(cell)));
        }
        return cells().stream()
                .map(cell ->
                        dynamicTest(cell.name(), () -> check(CELLS.get(cell).get())));
    }

    private static void check(CellResult result) {
        Cell cell = result.cell();
        String context =
                cell.name() + ": got " + result.outcome() + (result.worked() ? "" : " (" + result.detail() + ")")
                        + ", report " + result.report() + "\n" + result.output();
        if (result.reportViolation() != null) {
            throw new AssertionError(cell.name() + ": invalid report: " + result.reportViolation() + "\n" + context);
        }
        Verdict verdict = result.verdict();
        if (verdict.kind() == Verdict.Kind.MISS) {
            Expectation e = verdict.expected().expectation();
            throw new AssertionError(
                    cell.name() + " missed " + verdict.expected().id() + " (expected " + e.expect() + ": " + e.reason()
                            + "); " + verdict.note() + "\n" + context);
        }
    }

    @AfterAll
    static void writeMarkdown() throws Exception {
        try {
            List<CellResult> results = new ArrayList<>();
            for (Future<CellResult> f : CELLS.values()) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    // that cell's test failed with the cause; the document leaves it out
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            System.out.println("compatibility matrix: " + results.size() + " cells in " + seconds + " s, " + jobs()
                    + " at a time");
            Path out = narrowed()
                    ? Path.of("target/compatibility.md").toAbsolutePath()
                    : Path.of(System.getProperty("tlsguard.compat.doc", "../docs/compatibility.md"));
            String md = CompatibilityMarkdown.render(new CompatibilityMarkdown.Run(
                    results,
                    Jdks.all().toList(),
                    selectedModes(),
                    seconds,
                    jobs(),
                    Artifacts.agentJar(),
                    Path.of("notes.md").toAbsolutePath()));
            Files.createDirectories(out.getParent());
            Files.writeString(out, md, StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            if (peers != null) {
                peers.close();
            }
            if (work != null && !Boolean.getBoolean("tlsguard.compat.keep")) {
                deleteTree(work);
            }
        }
    }

    /** The cells this run tests: the selected apps x JDKs x modes x both security configs, minus SKIP. */
    static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        List<Jdk> jdks = Jdks.all().toList();
        for (App app : selectedApps()) {
            for (Jdk jdk : jdks) {
                for (Mode mode : selectedModes()) {
                    for (Security security : Security.values()) {
                        Cell cell = new Cell(app, jdk, mode, security);
                        if (cell.expectation().expect() != Expect.SKIP) {
                            cells.add(cell);
                        }
                    }
                }
            }
        }
        return cells;
    }

    private static int slowness(Cell cell) {
        return cell.app().has(App.Check.OPENTELEMETRY_AGENT) ? 2 : cell.app().kind() == App.Kind.SERVER ? 1 : 0;
    }

    private static List<App> selectedApps() {
        List<String> only = list("tlsguard.compat.apps");
        List<String> unknown = new ArrayList<>(only);
        unknown.removeAll(Apps.ALL.stream().map(App::id).toList());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("-Dtlsguard.compat.apps: no such app " + unknown + "; the apps: "
                    + Apps.ALL.stream().map(App::id).toList());
        }
        return Apps.ALL.stream()
                .filter(a -> only.isEmpty() || only.contains(a.id()))
                .toList();
    }

    private static List<Mode> selectedModes() {
        List<String> only = list("tlsguard.compat.modes");
        return Arrays.stream(Mode.values())
                .filter(m -> only.isEmpty() || only.contains(m.option()))
                .toList();
    }

    private static boolean narrowed() {
        return !list("tlsguard.compat.apps").isEmpty()
                || !list("tlsguard.compat.modes").isEmpty()
                || !System.getProperty("tlsguard.it.only", "").isBlank();
    }

    private static List<String> list(String property) {
        return Arrays.stream(System.getProperty(property, "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static int jobs() {
        return Integer.getInteger("tlsguard.compat.jobs", 3);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
