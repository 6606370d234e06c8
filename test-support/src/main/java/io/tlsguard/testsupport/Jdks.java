package io.tlsguard.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The JDK matrix the integration tests fork: jdk8 ... jdk25 under {@code tlsguard.jdks} (put there by
 * scripts/fetch-jdks, which Maven runs before the integration tests). {@code -Dtlsguard.it.only=jdk17,jdk25} narrows
 * it while developing. A JDK of the matrix that is missing fails the tests, loudly, for agent and CLI tests alike,
 * never a silent skip: only {@code tlsguard.it.only} leaves a JDK out.
 */
public final class Jdks {
    /** The one list of JDKs tlsguard supports and tests. */
    public static final List<String> NAMES = List.of("jdk8", "jdk11", "jdk17", "jdk21", "jdk25");

    private Jdks() {}

    /** A JDK of the matrix: its name (jdk17), its home and its feature release (17). */
    public record Jdk(String name, Path home, int feature) {
        public Path java() {
            return home.resolve("bin/java");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static Path dir() {
        return Path.of(System.getProperty("tlsguard.jdks", "../.jdks")).toAbsolutePath();
    }

    /** The JDKs of the matrix that this run tests (all of them unless tlsguard.it.only says otherwise). */
    public static Stream<Jdk> all() {
        List<Jdk> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            if (!selected(name)) {
                continue;
            }
            Path home = dir().resolve(name);
            if (Files.isExecutable(home.resolve("bin/java"))) {
                found.add(new Jdk(name, home, feature(name)));
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing(missing.toString()));
        }
        return found.stream();
    }

    /** Every JDK of the matrix with every mode: the arguments of most integration tests. */
    public static Stream<Arguments> withModes() {
        return all().flatMap(jdk -> Stream.of("report", "enforce", "deny").map(mode -> Arguments.of(jdk, mode)));
    }

    /**
     * One JDK of the matrix, for a test that needs that one: a failure when it is missing; the test is skipped only
     * when tlsguard.it.only leaves it out.
     */
    public static Jdk require(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(name + " is not in the JDK matrix " + NAMES);
        }
        assumeTrue(selected(name), name + " is left out by -Dtlsguard.it.only=" + only());
        Path home = dir().resolve(name);
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException(missing(name));
        }
        return new Jdk(name, home, feature(name));
    }

    /**
     * The JDK {@code name} if the matrix has it, else the build's own JDK under that name (tests that need "a JDK 17"
     * but not the matrix's one).
     */
    public static Jdk get(String name) {
        return all().filter(j -> j.name().equals(name))
                .findFirst()
                .orElseGet(() -> new Jdk("jdk17", Path.of(System.getProperty("java.home")), 17));
    }

    private static boolean selected(String name) {
        return only().isEmpty() || List.of(only().split(",")).contains(name);
    }

    private static String only() {
        return System.getProperty("tlsguard.it.only", "");
    }

    private static String missing(String names) {
        return "JDK " + names + " missing under " + dir()
                + " (run scripts/fetch-jdks, or leave it out with -Dtlsguard.it.only=...)";
    }

    private static int feature(String name) {
        return Integer.parseInt(name.substring("jdk".length()));
    }
}
