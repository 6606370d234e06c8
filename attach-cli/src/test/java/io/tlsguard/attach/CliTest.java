package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsguard.contract.OptionKey;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.contract.UserOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
    void readsAgentRepliesAndKeepsTheirLine() {
        String line = "{\"tlsguard.ok\":true,\"tlsguard.version\":\"0.1.0-SNAPSHOT\",\"tlsguard.mode\":\"enforce\","
                + "\"tlsguard.handshakes.by_version\":{\"1.2\":12,\"1.3\":3,\"1\":0},\"s\":\"a\\\"b\\u0041\"}";
        AgentReply reply = AgentReply.parse(line);
        assertThat(reply.line)
                .as("printed by status --json as the agent wrote it")
                .isEqualTo(line);
        assertThat(reply.ok()).isTrue();
        assertThat(reply.text(ReplyKey.MODE)).isEqualTo("enforce");
        assertThat(reply.text(ReplyKey.HANDSHAKES_BY_VERSION)).isEqualTo("1.2=12 1.3=3 1=0");
        assertThat(reply.text(ReplyKey.ERROR)).isNull();
        assertThat(AgentReply.parse("{\"tlsguard.error\":\"a\\nb\\u001b[2J\\u009b\"}")
                        .text(ReplyKey.ERROR))
                .as("escaped control characters are not printed raw")
                .isEqualTo("a b [2J ");
        assertThat(Cli.settings(reply)).isEqualTo("mode=enforce");
        assertThat(AgentReply.parse("{\"tlsguard.ok\":\"true\"}").ok())
                .as("only the boolean true")
                .isFalse();
        for (String bad : new String[] {
            "{\"tlsguard.ok\":tru}",
            "[1]",
            "{\"tlsguard.ok\":true} {}",
            "{\"tlsguard.ok\":true,\n\"x\":1}",
            "{\"tlsguard.ok\":true,\"tlsguard.ok\":false}",
            "{\"s\":\"\u001b[2J\"}",
            ""
        }) {
            assertThatThrownBy(() -> AgentReply.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The flags go through the contract's one validation; its message follows the flag's name. */
    @Test
    void checksFlagsWithTheAgentsValidation() {
        assertThat(Cli.options("ENFORCE", "1.3", "floor-and-above", null, "off", null)
                        .encode())
                .isEqualTo("mode=enforce,min=TLSv1.3,rewrite=floor-and-above,cache=off");
        assertThat(Cli.options(null, null, null, null, null, null).encode()).isEmpty();
        assertThat(Cli.options(null, null, null, null, null, "checkout").encode())
                .isEqualTo("service=checkout");
        assertThatThrownBy(() -> Cli.options(null, null, null, null, null, "a=b"))
                .hasMessageStartingWith("--service: option service=");
        assertThatThrownBy(() -> Cli.options(null, "TLSv1.1", null, null, null, null))
                .hasMessage("--min: " + UserOptions.parse("min=TLSv1.1").error());
        assertThatThrownBy(() -> Cli.options("audit", null, null, null, null, null))
                .hasMessage("--mode: option mode=audit is not one of report, enforce, deny");
    }

    @Test
    void resolvesRelativeReportPathsHere(@TempDir Path dir) {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(Cli.resolveReport("r.jsonl")).isEqualTo(cwd + "/r.jsonl");
        assertThat(Cli.resolveReport("stderr")).isEqualTo("stderr");
        assertThat(Cli.resolveReport(dir + "/x/../r-%p.jsonl")).isEqualTo(dir + "/r-%p.jsonl");
        assertThatThrownBy(() -> Cli.options(null, null, null, dir + "/a,b.jsonl", null, null))
                .hasMessageStartingWith("--report: option report=" + dir + "/a,b.jsonl holds ','");
        assertThatThrownBy(() -> Cli.resolveReport(dir + "/missing/r.jsonl")).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Cli.resolveReport(dir.toString())).hasMessageContaining("is a directory");
    }

    @Test
    void reconfiguringKeepsWhatIsNotGiven() {
        Properties running = new Properties();
        running.setProperty("tlsguard.version", "0.1.0");
        running.setProperty("tlsguard.mode", "report");
        running.setProperty("tlsguard.min", "TLSv1.3");
        running.setProperty("tlsguard.rewrite", "floor-and-above");
        running.setProperty("tlsguard.report", "/tmp/r.jsonl");
        UserOptions options = UserOptions.NONE.with(OptionKey.MODE, "enforce");
        assertThat(Cli.carryOver(options, running).encode())
                .isEqualTo("mode=enforce,min=TLSv1.3,rewrite=floor-and-above,report=/tmp/r.jsonl");
        assertThat(Cli.carryOver(UserOptions.NONE, new Properties()).encode()).isEmpty();
        running.setProperty("tlsguard.min", "TLSv1.1");
        running.setProperty("tlsguard.rewrite", "tls13");
        running.setProperty("tlsguard.report", "/tmp/a,mode=report");
        assertThat(Cli.carryOver(options, running).encode())
                .as("what no tlsguard publishes is not carried over")
                .isEqualTo("mode=enforce");
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

    /** The agent jar's directory: the first candidate the path rule (the agent's TrustedPaths) accepts, made private. */
    @Test
    void extractsOnlyToADirectoryNoOtherUserCanChange(@TempDir Path tmp) throws Exception {
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path made = AgentJar.userDirectory(List.of(open.resolve("x"), mine.resolve("a/b")));
        assertThat(made).isEqualTo(mine.toRealPath().resolve("a/b"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.getParent())))
                .as("parents made too, owner-only")
                .isEqualTo("rwx------");
        assertThat(open.resolve("x")).as("nothing made where the rule fails").doesNotExist();
        assertThatThrownBy(() -> AgentJar.userDirectory(List.of(open.resolve("x"))))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("no safe directory to extract the agent jar to (" + open.resolve("x"))
                .hasMessageContaining("writable by other users (mode 0777)");
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        assertThat(AgentJar.userDirectory(List.of(shared.resolve("new"))))
                .as("a new entry of ours in a sticky directory")
                .isEqualTo(shared.toRealPath().resolve("new"));
        assertThatThrownBy(() -> AgentJar.userDirectory(List.of(mine.resolve("a=b"))))
                .hasMessageContaining("';', '=' or a newline");
        if (Procs.currentUid() == 0) { // a directory of another user, even in a sticky one, is never trusted
            Path theirs = Files.createDirectory(shared.resolve("theirs"));
            Files.setAttribute(theirs, "unix:uid", 65534);
            assertThatThrownBy(() -> AgentJar.userDirectory(List.of(theirs)))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("no safe directory to extract the agent jar to (" + theirs)
                    .hasMessageContaining("uid 65534");
            assertThat(AgentJar.userDirectory(List.of(theirs, mine))).isEqualTo(mine.toRealPath());
        }
    }

    @Test
    void readsTheReplyOnlyFromARegularFileOfItsOwn(@TempDir Path tmp) throws Exception {
        assertThat(Jvms.readReply(1, tmp.resolve("none.json"))).isEmpty();
        Path reply = Files.writeString(tmp.resolve("reply.json"), "{\"tlsguard.ok\":true}\n");
        assertThat(Jvms.readReply(1, reply)).contains("{\"tlsguard.ok\":true}");
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
        assertThat(r.err.lines()).hasSize(2).first().asString().startsWith("tlsguard-attach: error: --mode: option");
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
