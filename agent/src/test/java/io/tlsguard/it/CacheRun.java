package io.tlsguard.it;

import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jdks.Jdk;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One JVM of the transform cache tests ({@link TransformCacheIT}, {@link TransformCacheAttackIT}): a
 * TLSv1-pinned SSLContext round trip and a TLS 1.3 engine pair (4 handshakes, 1 pin) under the JDK's
 * legacy security, its report, and its class loading log, which tells whether Byte Buddy wove the hooks
 * or the cache gave them.
 */
record CacheRun(Fork.Result result, Report report, List<String> classLog) {
    private static final String BYTE_BUDDY = "io.tlsguard.shaded.bytebuddy.";

    /**
     * Runs it on {@code jdk} with {@code agentOptions} (report= is added: {@code dir/NAME.jsonl});
     * {@code more} adds JVM options or environment.
     */
    static CacheRun fork(Jdk jdk, Path dir, String name, String agentOptions, Consumer<Jvm> more) throws Exception {
        Path report = dir.resolve(name + ".jsonl");
        Path classLog = dir.resolve(name + ".classes");
        Jvm jvm = Jvm.on(jdk)
                .agent(agentOptions + ",report=" + report)
                .jvmArg(jdk.feature() >= 9 ? "-Xlog:class+load=info:file=" + classLog : "-verbose:class");
        more.accept(jvm);
        Fork.Result result = jvm.legacySecurity()
                .jsseSample("suite", "ctx-tlsv1", "tls13-engine")
                .run();
        List<String> classes = jdk.feature() >= 9
                ? Files.readAllLines(classLog) // missing: an error, never "no Byte Buddy"
                : result.stdout().lines().toList();
        return new CacheRun(result, Report.read(report), classes);
    }

    long byteBuddyClasses() {
        return classLog.stream().filter(l -> l.contains(BYTE_BUDDY)).count();
    }
}
