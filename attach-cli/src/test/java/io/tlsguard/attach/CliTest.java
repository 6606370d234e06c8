package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        Map<String, Object> m = Json.parseObject(
                "{\"ok\":true,\"tlsguard.version\":\"0.1.0-SNAPSHOT\",\"mode\":\"enforce\","
                        + "\"handshakes\":{\"1.2\":12,\"1.3\":3,\"1\":0},\"x\":[1,2.5,null,false],\"s\":\"a\\\"b\\u0041\"}");
        assertThat(m).containsEntry("ok", true).containsEntry("mode", "enforce").containsEntry("s", "a\"bA");
        assertThat((Map<Object, Object>) m.get("handshakes"))
                .containsEntry("1.2", 12L)
                .containsEntry("1", 0L);
        assertThat((List<Object>) m.get("x")).containsExactly(1L, 2.5, null, false);
        assertThat(Cli.toJson(m))
                .isEqualTo("{\"ok\":true,\"tlsguard.version\":\"0.1.0-SNAPSHOT\",\"mode\":\"enforce\","
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
        assertThatThrownBy(() -> Cli.normalizeMode("audit"))
                .hasMessageContaining("--mode must be report, enforce or deny");
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
        options.put("mode", "enforce");
        Cli.carryOver(options, running);
        assertThat(Cli.agentOptions(options)).isEqualTo("mode=enforce,min=TLSv1.3,report=/tmp/r.jsonl");
        Map<String, String> fresh = new LinkedHashMap<>();
        Cli.carryOver(fresh, new Properties());
        assertThat(Cli.agentOptions(fresh)).isEmpty();
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
        AgentJar agent = AgentJar.embedded();
        assertThat(agent.version).isNotEqualTo("unknown");
        List<Path> home = List.of(tmp.resolve(".cache/tlsguard-attach"));
        Path jar = agent.extract(home);
        assertThat(jar.getFileName().toString())
                .isEqualTo("tlsguard-" + agent.version + "-" + agent.sha256.substring(0, 16) + ".jar");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jar.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jar)))
                .isEqualTo("rw-------");
        long modified = Files.getLastModifiedTime(jar).toMillis();
        Thread.sleep(20);
        assertThat(agent.extract(home)).isEqualTo(jar);
        assertThat(Files.getLastModifiedTime(jar).toMillis())
                .as("reused, not rewritten")
                .isEqualTo(modified);
        Files.write(jar, new byte[] {1, 2, 3}); // tampered: replaced
        assertThat(AgentJar.sha256(Files.readAllBytes(agent.extract(home)))).isEqualTo(agent.sha256);
        Path elsewhere = Files.write(tmp.resolve("elsewhere.jar"), agent.bytes);
        Files.delete(jar);
        Files.createSymbolicLink(jar, elsewhere); // a link, even to the right bytes, is replaced by a file
        assertThat(agent.extract(home)).isEqualTo(jar);
        assertThat(Files.isSymbolicLink(jar)).isFalse();
        assertThat(Files.list(jar.getParent())).as("no .part left").hasSize(1);
    }

    @Test
    void agentHomeCandidatesPreferTheUsersCache() {
        List<Path> c = AgentJar.homeCandidates();
        assertThat(c.get(c.size() - 1))
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "tlsguard-attach-" + Procs.currentUid())
                        .toAbsolutePath());
        assertThat(c).contains(Path.of(System.getProperty("user.home"), ".cache", "tlsguard-attach"));
    }

    @Test
    void trustsOnlyPathsNoOtherUserCanChange(@TempDir Path tmp) throws Exception {
        int me = Procs.currentUid();
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        assertThat(SafePaths.whyUntrusted(mine, me)).isNull();
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(SafePaths.whyUntrusted(open, me)).contains("can be written by other users (mode 777)");
        assertThat(SafePaths.whyUntrusted(Files.createDirectory(open.resolve("below")), me))
                .contains("can be written by other users");
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        assertThat(SafePaths.whyUntrusted(shared, me)).contains("is a shared directory (mode 1777)");
        assertThat(SafePaths.whyUntrusted(Files.createDirectory(shared.resolve("entry")), me))
                .isNull();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), open);
        assertThat(SafePaths.whyUntrusted(link, me))
                .as("checked as its real path")
                .contains(open.toString());
        // created owner-only, parents included; an existing one of ours is closed to others
        Path made = SafePaths.privateDirectory(mine.resolve("a/b"), me);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.getParent())))
                .isEqualTo("rwx------");
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxrwxrwx"));
        SafePaths.privateDirectory(made, me);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                .isEqualTo("rwx------");
        assertThatThrownBy(() -> SafePaths.privateDirectory(open.resolve("x"), me))
                .hasMessageContaining("can be written by other users");
        assertThat(SafePaths.privateDirectory(shared.resolve("new"), me))
                .as("a new entry of ours in a sticky directory")
                .isEqualTo(shared.toRealPath().resolve("new"));
        if (me == 0) { // a directory of another user, even in a sticky one, is never trusted nor taken over
            Path theirs = Files.createDirectory(shared.resolve("theirs"));
            Files.setAttribute(theirs, "unix:uid", 65534);
            assertThat(SafePaths.whyUntrusted(theirs, me))
                    .contains("is in the shared directory " + shared, "belongs to", "uid 65534", "not to you");
            Path theirsElsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
            Files.setAttribute(theirsElsewhere, "unix:uid", 65534);
            assertThat(SafePaths.whyUntrusted(theirsElsewhere, me)).contains("neither to you nor to root");
            assertThatThrownBy(() -> SafePaths.privateDirectory(theirs, me)).hasMessageContaining("not to you");
            assertThatThrownBy(() -> AgentJar.userDirectory(List.of(theirs)))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("no safe directory to extract the agent jar to (" + theirs);
            assertThat(AgentJar.userDirectory(List.of(theirs, mine))).isEqualTo(mine.toRealPath());
            assertThatThrownBy(() -> AgentJar.userDirectory(List.of(mine.resolve("a=b"))))
                    .hasMessageContaining("';', '=' or a newline");
        }
    }

    @Test
    void agentRequestKeepsInternalKeysOutOfTheOptions() {
        AgentRequest r = new AgentRequest(
                AgentRequest.Command.STATUS, Path.of("/home/me/.cache/tlsguard-attach/reply-1/reply.json"), "");
        assertThat(r.encode())
                .isEqualTo(
                        "tlsguard-attach/1;command=status;reply=/home/me/.cache/tlsguard-attach/reply-1/reply.json;options=");
        AgentRequest a = new AgentRequest(
                AgentRequest.Command.ATTACH, Path.of("/r/reply.json"), "mode=enforce,report=/x/a;b=c.jsonl");
        assertThat(a.encode())
                .isEqualTo(
                        "tlsguard-attach/1;command=attach;reply=/r/reply.json;options=mode=enforce,report=/x/a;b=c.jsonl");
        assertThat(a.encode()).startsWith(AgentRequest.PROTOCOL + ";");
        assertThat(new AgentRequest(AgentRequest.Command.DETACH, Path.of("/r/x"), null).encode())
                .isEqualTo("tlsguard-attach/1;command=detach;reply=/r/x;options=");
        for (String bad : new String[] {"relative/reply.json", "/a;b/reply.json", "/a\nb/reply.json"}) {
            assertThatThrownBy(() -> new AgentRequest(AgentRequest.Command.STATUS, Path.of(bad), ""))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsTheReplyOnlyFromARegularFileOfItsOwn(@TempDir Path tmp) throws Exception {
        assertThat(Jvms.readReply(1, tmp.resolve("none.json"))).isEmpty();
        Path reply = Files.writeString(tmp.resolve("reply.json"), "{\"ok\":true}\n");
        assertThat(Jvms.readReply(1, reply)).contains("{\"ok\":true}");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), reply);
        assertThatThrownBy(() -> Jvms.readReply(1, link))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("a symbolic link");
        Path dir = Files.createDirectory(tmp.resolve("dir.json"));
        assertThatThrownBy(() -> Jvms.readReply(1, dir)).hasMessageContaining("not a file");
        if (Procs.currentUid() == 0) {
            Files.setAttribute(reply, "unix:uid", 65534);
            assertThatThrownBy(() -> Jvms.readReply(1, reply)).hasMessageContaining("owned by", "uid 65534");
        }
    }

    @Test
    void pidsAndUsers() {
        assertThat(Jvms.parsePid("42")).isEqualTo(42);
        assertThat(Jvms.parsePid("0042")).isEqualTo(42);
        assertThat(Jvms.parsePid("2147483647")).isEqualTo(Integer.MAX_VALUE);
        for (String bad : new String[] {"0", "000", "2147483648", "99999999999999999999999"}) {
            assertThatThrownBy(() -> Jvms.parsePid(bad))
                    .isInstanceOfSatisfying(
                            CliException.class, e -> assertThat(e.exitCode).isEqualTo(ExitCodes.USAGE))
                    .hasMessage("'" + bad + "' is not a process id (a pid is a number from 1 to 2147483647)");
        }
        Run r = run("attach", "99999999999999999999999");
        assertThat(r.exit).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err)
                .isEqualTo(
                        "tlsguard-attach: error: '99999999999999999999999' is not a process id (a pid is a number from 1 to 2147483647)\n");
        assertThat(Procs.currentUid())
                .isEqualTo(Procs.uid(ProcessHandle.current().pid()).orElseThrow());
        assertThat(Procs.currentUser()).isEqualTo(System.getProperty("user.name"));
        assertThat(Procs.userName(0)).isEqualTo("root");
        assertThat(Procs.describeUser(0)).isEqualTo("'root' (uid 0)");
        assertThat(Procs.describeUser(987654)).isEqualTo("uid 987654");
        assertThat(Jvms.shellQuote("/usr/bin/java")).isEqualTo("/usr/bin/java");
        assertThat(Jvms.shellQuote("it's a b")).isEqualTo("'it'\\''s a b'");
        assertThat(Jvms.shellQuote("")).isEqualTo("''");
    }

    @Test
    void errorsAreOneLine() {
        Run r = run("attach", "999999999");
        assertThat(r.exit).isEqualTo(ExitCodes.NO_SUCH_TARGET);
        assertThat(r.err)
                .startsWith("tlsguard-attach: error: no such process: 999999999\n")
                .doesNotContain("\tat ");
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
        Process p = new ProcessBuilder(
                        "sh",
                        "-c",
                        "sleep 30; true",
                        "sh",
                        "-XX:+DisableAttachMechanism",
                        "-XX:-EnableDynamicAgentLoading")
                .start();
        try {
            Thread.sleep(100);
            assertThat(Procs.xxFlag(p.pid(), "DisableAttachMechanism")).contains(true);
            assertThat(Procs.xxFlag(p.pid(), "EnableDynamicAgentLoading")).contains(false);
            assertThat(Procs.xxFlag(p.pid(), "UseG1GC")).isEmpty();
            assertThat(Procs.attachSafe(p.pid()))
                    .as("sh does not catch SIGQUIT")
                    .contains(false);
            assertThat(Procs.attachSafe(ProcessHandle.current().pid()))
                    .as("this JVM does")
                    .contains(true);
        } finally {
            p.destroyForcibly();
        }
    }
}
