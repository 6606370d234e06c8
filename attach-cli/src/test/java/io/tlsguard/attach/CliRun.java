package io.tlsguard.attach;

import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs the built CLI jar exactly as a user would: {@code java -jar tlsguard-attach.jar ARGS} in a working directory. */
final class CliRun {
    private CliRun() {}

    static Path cliJar() {
        return TestUser.readable(Artifacts.cliJar());
    }

    static String buildJava() {
        return TestUser.readable(Path.of(System.getProperty("java.home")))
                .resolve("bin/java")
                .toString();
    }

    /** Runs the CLI as the tests' user (see {@link TestUser#prefix()}) in {@code cwd}. */
    static Fork.Result run(Path cwd, String... args) throws Exception {
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
    static Fork.Result exec(Path cwd, List<String> cmd) throws Exception {
        List<String> prefix = TestUser.prefix();
        if (cwd != null) {
            TestUser.own(cwd);
        }
        return execWith(prefix, cwd, Map.of(), cmd);
    }

    /**
     * Runs {@code prefix + cmd} in {@code cwd} with {@code env} added to the environment. XDG_CACHE_HOME is not
     * inherited (root's would be passed through runuser), unless {@code env} sets it.
     */
    static Fork.Result execWith(List<String> prefix, Path cwd, Map<String, String> env, List<String> cmd)
            throws Exception {
        return Fork.of(cmd)
                .prefix(prefix)
                .directory(cwd)
                .env("XDG_CACHE_HOME", null)
                .env(env)
                .run();
    }
}
