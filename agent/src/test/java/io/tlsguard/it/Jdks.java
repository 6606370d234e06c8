package io.tlsguard.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JDK matrix the integration tests fork: jdk8 ... jdk25 under {@code tlsguard.jdks} (put there by
 * scripts/fetch-jdks, which Maven runs before the integration tests). Under CI a missing JDK is a
 * failure, never a silent skip.
 */
public final class Jdks {
    public static final List<String> NAMES = List.of("jdk8", "jdk11", "jdk17", "jdk21", "jdk25");

    private Jdks() {
    }

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
        return Paths.get(System.getProperty("tlsguard.jdks", ".jdks"));
    }

    public static Stream<Jdk> all() {
        List<Jdk> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String only = System.getProperty("tlsguard.it.only", ""); // e.g. "jdk17,jdk25" while developing
        for (String name : NAMES) {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(name)) {
                continue;
            }
            Path home = dir().resolve(name);
            if (Files.isExecutable(home.resolve("bin/java"))) {
                found.add(new Jdk(name, home, Integer.parseInt(name.substring(3))));
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("JDKs missing under " + dir() + ": " + missing + " (run scripts/fetch-jdks)");
        }
        return found.stream();
    }

    /** Every JDK of the matrix with every mode: the arguments of most integration tests. */
    public static Stream<org.junit.jupiter.params.provider.Arguments> withModes() {
        return all().flatMap(jdk -> Stream.of("report", "enforce", "deny")
                .map(mode -> org.junit.jupiter.params.provider.Arguments.of(jdk, mode)));
    }

    public static Jdk get(String name) {
        return all().filter(j -> j.name().equals(name)).findFirst()
                .orElseGet(() -> new Jdk("jdk17", Paths.get(System.getProperty("java.home")), 17));
    }
}
