package io.tlsguard.attach;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        return Path.of(jar).toAbsolutePath();
    }

    static String buildJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static CliRun run(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(buildJava(), "-jar", cliJar().toString()));
        cmd.addAll(Arrays.asList(args));
        return exec(cwd, cmd);
    }

    static CliRun exec(Path cwd, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(cwd == null ? null : cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("CLI did not finish: " + cmd);
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
