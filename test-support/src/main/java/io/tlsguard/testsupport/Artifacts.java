package io.tlsguard.testsupport;

import java.nio.file.Path;

/**
 * What the build made and the tests use, as failsafe passes it (system properties set in the modules' poms); the
 * defaults are relative to a module directory (agent/ or attach-cli/), where Maven runs the tests.
 */
public final class Artifacts {
    private Artifacts() {}

    /** The shaded agent jar, agent/target/tlsguard.jar. */
    public static Path agentJar() {
        return path("tlsguard.agent.jar", "../agent/target/tlsguard.jar");
    }

    /** The legacy JSSE program the tests run unmodified. */
    public static Path jsseSample() {
        return path("tlsguard.sample.jsse", "../sample-apps/jsse-legacy/target/jsse-legacy.jar");
    }

    /** A legacy sample application's runnable jar, sample-apps/MODULE/target/MODULE.jar. */
    public static Path sampleApp(String module) {
        return Path.of(System.getProperty("tlsguard.samples", "../sample-apps"), module, "target", module + ".jar")
                .toAbsolutePath();
    }

    /** The runnable CLI jar, attach-cli/target/tlsguard-attach.jar. */
    public static Path cliJar() {
        return path("tlsguard.cli.jar", "../attach-cli/target/tlsguard-attach.jar");
    }

    /** docs/report.schema.json: what every report line must be. */
    public static Path reportSchema() {
        return path("tlsguard.schema", "../docs/report.schema.json");
    }

    private static Path path(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback)).toAbsolutePath();
    }
}
