package io.tlsguard.attach;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built CLI jar exactly as a user would: {@code java -jar tlsguard-attach.jar ARGS} in a working directory. */
final class CliRun {
    final int exit;
    final String out;
    final String err;
    final long millis;

    private CliRun(int exit, String out, String err, long millis) {
        this.exit = exit;
        this.out = out;
        this.err = err;
        this.millis = millis;
    }

    static Path cliJar() {
        String jar = System.getProperty("tlsguard.cli.jar", "target/tlsguard-attach.jar");
        return ItUser.readable(Path.of(jar).toAbsolutePath());
    }

    static String buildJava() {
        return ItUser.readable(Path.of(System.getProperty("java.home"))).resolve("bin/java").toString();
    }

    /** Runs the CLI as the tests' user (see {@link ItUser}) in {@code cwd}. */
    static CliRun run(Path cwd, String... args) throws Exception {
        return exec(cwd, cliCommand(List.of(), args));
    }

    /** {@code java [jvmOptions] -jar tlsguard-attach.jar args}. */
    static List<String> cliCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(buildJava()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", cliJar().toString()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs {@code cmd} as the tests' user in {@code cwd} (handed to that user). */
    static CliRun exec(Path cwd, List<String> cmd) throws Exception {
        List<String> prefix = ItUser.prefix();
        if (cwd != null) {
            ItUser.own(cwd);
        }
        return execWith(prefix, cwd, Map.of(), cmd);
    }

    /**
     * Runs {@code prefix + cmd} in {@code cwd} with {@code env} added to the environment. XDG_CACHE_HOME is not
     * inherited (root's would be passed through runuser), unless {@code env} sets it.
     */
    static CliRun execWith(List<String> prefix, Path cwd, Map<String, String> env, List<String> cmd) throws Exception {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(cmd);
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(full).directory(cwd == null ? null : cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
            pb.environment().remove("XDG_CACHE_HOME");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("CLI did not finish: " + full);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new CliRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), ms);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return "exit=" + exit + " (" + millis + " ms)\nstdout: " + out + "\nstderr: " + err;
    }
}
