package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests: option handling, the reply parser, messages of the checks made before any attach. */
class CliTest {
    static final class Run {
        int exit;
        String out;
        String err;
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Run r = new Run();
        r.exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        r.out = out.toString();
        r.err = err.toString();
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void parsesAgentReplies() {
        Map<String, Object> m = Json.parseObject("{\"ok\":true,\"tlsguard.version\":\"0.1.0-SNAPSHOT\",\"mode\":\"enforce\","
                + "\"handshakes\":{\"1.2\":12,\"1.3\":3,\"1\":0},\"x\":[1,2.5,null,false],\"s\":\"a\\\"b\\u0041\"}");
        assertThat(m).containsEntry("ok", true).containsEntry("mode", "enforce").containsEntry("s", "a\"bA");
        assertThat((Map<Object, Object>) m.get("handshakes")).containsEntry("1.2", 12L).containsEntry("1", 0L);
        assertThat((List<Object>) m.get("x")).containsExactly(1L, 2.5, null, false);
        assertThat(Cli.toJson(m)).isEqualTo("{\"ok\":true,\"tlsguard.version\":\"0.1.0-SNAPSHOT\",\"mode\":\"enforce\","
                + "\"handshakes\":{\"1.2\":12,\"1.3\":3,\"1\":0},\"x\":[1,2.5,null,false],\"s\":\"a\\\"bA\"}");
        assertThatThrownBy(() -> Json.parseObject("{\"ok\":tru}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalizesOptions() {
        assertThat(Cli.normalizeMode("ENFORCE")).isEqualTo("enforce");
        assertThat(Cli.normalizeMin("tlsv1.3")).isEqualTo("TLSv1.3");
        assertThat(Cli.normalizeMin("1.2")).isEqualTo("TLSv1.2");
        assertThatThrownBy(() -> Cli.normalizeMin("TLSv1.1")).hasMessageContaining("--min must be TLSv1.2 or TLSv1.3");
        assertThatThrownBy(() -> Cli.normalizeMode("audit")).hasMessageContaining("--mode must be report, enforce or deny");
    }

    @Test
    void resolvesRelativeReportPathsHere(@TempDir Path dir) {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(Cli.resolveReport("r.jsonl")).isEqualTo(cwd + "/r.jsonl");
        assertThat(Cli.resolveReport("stderr")).isEqualTo("stderr");
        assertThat(Cli.resolveReport(dir + "/x/../r-%p.jsonl")).isEqualTo(dir + "/r-%p.jsonl");
        assertThatThrownBy(() -> Cli.resolveReport(dir + "/a,b.jsonl")).hasMessageContaining("must not contain ','");
        assertThatThrownBy(() -> Cli.resolveReport(dir + "/missing/r.jsonl")).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Cli.resolveReport(dir.toString())).hasMessageContaining("is a directory");
    }

    @Test
    void reconfiguringKeepsWhatIsNotGiven() {
        Properties running = new Properties();
        running.setProperty("tlsguard.version", "0.1.0");
        running.setProperty("tlsguard.mode", "report");
        running.setProperty("tlsguard.min", "TLSv1.3");
        running.setProperty("tlsguard.report", "/tmp/r.jsonl");
        Map<String, String> options = new LinkedHashMap<>();
        options.put("command", "attach");
        options.put("mode", "enforce");
        Cli.carryOver(options, running);
        assertThat(Cli.agentOptions(options)).isEqualTo("command=attach,mode=enforce,min=TLSv1.3,report=/tmp/r.jsonl");
        Map<String, String> fresh = new LinkedHashMap<>();
        fresh.put("command", "attach");
        Cli.carryOver(fresh, new Properties());
        assertThat(Cli.agentOptions(fresh)).isEqualTo("command=attach");
    }

    @Test
    void namesMainClassOrJar() {
        assertThat(Jvms.mainOf("io.x.Main --secret pw")).isEqualTo("io.x.Main");
        assertThat(Jvms.mainOf("/opt/app.jar")).isEqualTo("/opt/app.jar");
        assertThat(Jvms.mainOf("")).isEqualTo("?");
        assertThat(Jvms.feature("1.8")).isEqualTo(8);
        assertThat(Jvms.feature("25")).isEqualTo(25);
    }

    @Test
    void embedsTheAgentAndExtractsItOnce(@TempDir Path tmp) throws Exception {
        String old = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            AgentJar agent = AgentJar.embedded();
            assertThat(agent.version).isNotEqualTo("unknown");
            Path jar = agent.extract();
            assertThat(jar.getFileName().toString()).isEqualTo("tlsguard-" + agent.version + "-" + agent.sha256.substring(0, 16) + ".jar");
            assertThat(Files.getPosixFilePermissions(jar.getParent())).hasSize(3);
            long modified = Files.getLastModifiedTime(jar).toMillis();
            Thread.sleep(20);
            assertThat(agent.extract()).isEqualTo(jar);
            assertThat(Files.getLastModifiedTime(jar).toMillis()).as("reused, not rewritten").isEqualTo(modified);
            Files.write(jar, new byte[] {1, 2, 3}); // tampered: replaced
            assertThat(AgentJar.sha256(Files.readAllBytes(agent.extract()))).isEqualTo(agent.sha256);
        } finally {
            System.setProperty("java.io.tmpdir", old);
        }
    }

    @Test
    void errorsAreOneLine() {
        Run r = run("attach", "999999999");
        assertThat(r.exit).isEqualTo(ExitCodes.NO_SUCH_TARGET);
        assertThat(r.err).startsWith("tlsguard-attach: error: no such process: 999999999\n").doesNotContain("\tat ");
        r = run("attach", "1", "--mode", "x");
        assertThat(r.exit).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err.lines()).hasSize(2).first().asString().startsWith("tlsguard-attach: error: --mode must be");
        r = run("detach");
        assertThat(r.exit).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void notAJvm() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Run r = run("status", Long.toString(sleep.pid()));
            assertThat(r.exit).isEqualTo(ExitCodes.NOT_ATTACHABLE);
            assertThat(r.err).contains("(sleep) is not a Java virtual machine");
            assertThat(sleep.isAlive()).isTrue();
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void readsFlagsFromTheCommandLine() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 30; true", "sh", "-XX:+DisableAttachMechanism", "-XX:-EnableDynamicAgentLoading").start();
        try {
            Thread.sleep(100);
            assertThat(Procs.xxFlag(p.pid(), "DisableAttachMechanism")).contains(true);
            assertThat(Procs.xxFlag(p.pid(), "EnableDynamicAgentLoading")).contains(false);
            assertThat(Procs.xxFlag(p.pid(), "UseG1GC")).isEmpty();
            assertThat(Procs.attachSafe(p.pid())).as("sh does not catch SIGQUIT").contains(false);
            assertThat(Procs.attachSafe(ProcessHandle.current().pid())).as("this JVM does").contains(true);
        } finally {
            p.destroyForcibly();
        }
    }
}
