package io.tlsguard.attach;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * Entry point of tlsguard-attach.jar. Compiled for Java 8 (the rest of the CLI for 11), so that on an old or
 * incomplete runtime it can still say in one line what is wrong: Java older than 11, or no jdk.attach module.
 * It names the other classes only after those checks.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit code (for tests: nothing calls System.exit). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        String problem = runtimeProblem();
        if (problem != null) {
            err.println("tlsguard-attach: error: " + problem);
            err.flush();
            return 6; // ExitCodes.NO_JDK_ATTACH
        }
        return Cli.execute(args, out, err);
    }

    private static String runtimeProblem() {
        String spec = System.getProperty("java.specification.version", "");
        String where = "this Java runtime (" + System.getProperty("java.home") + ", Java "
                + System.getProperty("java.version") + ")";
        if (spec.startsWith("1.") || spec.equals("9") || spec.equals("10")) {
            return where + " is too old to run tlsguard-attach: run it with the java of a JDK 11 or newer "
                    + "(it attaches to targets from Java 8 on)";
        }
        try {
            Class<?> layer = Class.forName("java.lang.ModuleLayer");
            Object boot = layer.getMethod("boot").invoke(null);
            Optional<?> attach =
                    (Optional<?>) layer.getMethod("findModule", String.class).invoke(boot, "jdk.attach");
            if (!attach.isPresent()) {
                return where
                        + " has no jdk.attach module: run tlsguard-attach with the java of a JDK 11 or newer, not a JRE";
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return where + ": cannot check for the jdk.attach module (" + e + ")";
        }
        return null;
    }
}
