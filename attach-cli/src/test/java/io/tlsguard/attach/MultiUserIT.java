package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.testsupport.Fork;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import io.tlsguard.testsupport.TestUser;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users: a user attaches to its own JVMs; nobody, root included, attaches to another user's, and the message says
 * exactly which command to run instead; another user's directories neither break the CLI nor get trusted.
 * Needs root (it creates the user tlsguard-it and runs processes as it and as nobody); runs in the first failsafe
 * execution only (it picks its users itself).
 */
class MultiUserIT {
    static final String USER = TestUser.NAME;

    @TempDir
    Path cwd;

    int uid;

    @BeforeEach
    void asRoot() throws Exception {
        TestUser.assumeAvailable();
        assumeTrue(TestUser.RUN_AS.isEmpty(), "picks its users itself: run once, in the first execution");
        uid = TestUser.uid(USER);
        TestUser.chown(cwd, USER);
    }

    static LiveProcess jvmAs(List<String> prefix, Path err) throws Exception {
        LiveProcess jvm =
                Jvm.onBuildJdk().behind(prefix).jsseServer("socket", "none").start(err);
        jvm.awaitListening();
        return jvm;
    }

    Fork.Result cliAs(String user, Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
        return CliRun.execWith(
                user == null ? List.of() : TestUser.as(user), cwd, env, CliRun.cliCommand(jvmOptions, args));
    }

    @Test
    void aUserListsAttachesReadsAndDetachesItsOwnJvm() throws Exception {
        try (LiveProcess jvm = jvmAs(TestUser.as(USER), cwd.resolve("own.err"))) {
            String pid = Long.toString(jvm.pid());
            Fork.Result list = cliAs(USER, Map.of(), List.of(), "list");
            assertThat(list.exit()).as("%s", list).isZero();
            assertThat(list.stdout())
                    .containsPattern("(?m)^" + pid + "\\s+\\S+\\s+-\\s+io\\.tlsguard\\.samples\\.jsse\\.LegacyJsse$");

            Fork.Result attach =
                    cliAs(USER, Map.of(), List.of(), "attach", pid, "--mode", "enforce", "--report", "own.jsonl");
            assertThat(attach.exit()).as("%s", attach).isZero();
            assertThat(attach.stdout())
                    .contains("attached tlsguard", "mode=enforce", "report=" + cwd.resolve("own.jsonl"));
            Path agentHome = TestUser.home(USER).resolve(".cache/tlsguard-attach");
            assertThat(Files.list(agentHome))
                    .as("the agent jar, in the user's cache")
                    .anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
            assertThat(Files.getAttribute(agentHome, "unix:uid")).isEqualTo(uid);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agentHome)))
                    .isEqualTo("rwx------");

            Fork.Result status = cliAs(USER, Map.of(), List.of(), "status", pid, "--json");
            assertThat(status.exit()).as("%s", status).isZero();
            JsonNode reply = new ObjectMapper().readTree(status.stdout());
            assertThat(reply.get(ReplyKey.OK.key()).booleanValue()).isTrue();
            assertThat(reply.get(ReplyKey.MODE.key()).asText()).isEqualTo("enforce");
            Fork.Result detach = cliAs(USER, Map.of(), List.of(), "detach", pid);
            assertThat(detach.exit()).as("%s", detach).isZero();
            assertThat(detach.stdout()).contains("detached tlsguard from JVM " + pid);
            assertThat(Files.list(agentHome))
                    .as("reply directories are removed")
                    .noneMatch(p -> p.getFileName().toString().startsWith("reply-"));
        }
    }

    @Test
    void aUserIsRefusedAnotherUsersJvm() throws Exception {
        try (LiveProcess rootJvm = jvmAs(List.of(), cwd.resolve("root.err"))) {
            String pid = Long.toString(rootJvm.pid());
            Fork.Result r = cliAs(USER, Map.of(), List.of(), "attach", pid);
            CliErrorsIT.oneLineError(
                    r,
                    ExitCodes.OTHER_USER,
                    "process " + pid + " runs as user 'root' (uid 0), you are '" + USER + "' (uid " + uid
                            + "): a JVM accepts agents only from its own user; run as that user: sudo -u root ");
            Fork.Result list = cliAs(USER, Map.of(), List.of(), "list");
            assertThat(list.stdout()).doesNotContainPattern("(?m)^" + pid + "\\s");
            assertThat(rootJvm.alive()).isTrue();
            assertThat(rootJvm.stderrText()).doesNotContain("tlsguard");
        }
    }

    @Test
    void rootIsRefusedAUsersJvmAndTheSuggestedCommandWorks() throws Exception {
        try (LiveProcess jvm = jvmAs(TestUser.as(USER), cwd.resolve("user.err"))) {
            String pid = Long.toString(jvm.pid());
            Fork.Result r =
                    cliAs(null, Map.of(), List.of(), "attach", pid, "--mode", "report", "--report", "it's.jsonl");
            String suggestion = "sudo -u " + USER + " " + CliRun.buildJava() + " -jar " + CliRun.cliJar() + " attach "
                    + pid + " --mode report --report 'it'\\''s.jsonl'";
            CliErrorsIT.oneLineError(
                    r,
                    ExitCodes.OTHER_USER,
                    "process " + pid + " runs as user '" + USER + "' (uid " + uid
                            + "), you are 'root' (uid 0): a JVM accepts agents only from its own user; run as that user: "
                            + suggestion);
            assertThat(r.stderr().lines()).hasSize(1);
            assertThat(r.stderr().trim()).endsWith(suggestion);

            // the suggestion, run (runuser stands in for sudo): works
            String command = suggestion.substring(("sudo -u " + USER + " ").length());
            Fork.Result asUser = CliRun.execWith(TestUser.as(USER), cwd, Map.of(), List.of("/bin/sh", "-c", command));
            assertThat(asUser.exit()).as("%s", asUser).isZero();
            assertThat(asUser.stdout()).contains("attached tlsguard", "report=" + cwd.resolve("it's.jsonl"));
            Fork.Result status = cliAs(USER, Map.of(), List.of(), "status", pid);
            assertThat(status.exit()).as("%s", status).isZero();
            assertThat(status.stdout())
                    .contains("report", cwd.resolve("it's.jsonl").toString());
        }
    }

    @Test
    void anotherUsersDirectoriesNeitherBreakTheCliNorGetTrusted() throws Exception {
        // a stand-in for /tmp (root, 1777) in which nobody made the CLI's fallback directory first, open to all and
        // holding a "jar" under the exact name the CLI would use; and an XDG_CACHE_HOME that nobody controls
        Path tmp = Files.createDirectory(cwd.resolve("tmp"));
        Files.setOwner(tmp, Files.getOwner(Path.of("/")));
        Files.setAttribute(tmp, "unix:mode", 01777);
        Path planted = Files.createDirectory(tmp.resolve("tlsguard-attach-" + uid));
        AgentJar agent = AgentJar.embedded();
        Path plantedJar = Files.write(
                planted.resolve("tlsguard-" + agent.version + "-" + agent.sha256.substring(0, 16) + ".jar"),
                new byte[] {'P', 'K', 0, 0});
        Path evilCache = Files.createDirectory(cwd.resolve("evil-cache"));
        for (Path p : List.of(planted, plantedJar, evilCache)) {
            TestUser.chown(p, "nobody");
            Files.setAttribute(p, "unix:mode", Files.isDirectory(p) ? 0777 : 0666);
        }
        int nobody = (Integer) Files.getAttribute(evilCache, "unix:uid");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", evilCache.toString());
        List<String> noHome = List.of("-Djava.io.tmpdir=" + tmp, "-Duser.home=/nonexistent");

        try (LiveProcess jvm = jvmAs(TestUser.as(USER), cwd.resolve("user.err"))) {
            String pid = Long.toString(jvm.pid());
            // no usable home and only nobody's directories: refused, with every reason; nothing loaded
            Fork.Result refused = cliAs(USER, env, noHome, "attach", pid);
            CliErrorsIT.oneLineError(
                    refused,
                    ExitCodes.INTERNAL,
                    "no safe directory to extract the agent jar to (",
                    evilCache + "/tlsguard-attach: " + evilCache + " belongs to uid " + nobody,
                    planted + " is in the shared directory " + tmp + " and belongs to uid " + nobody,
                    "set XDG_CACHE_HOME to a directory only you can write");
            assertThat(jvm.stderrText()).doesNotContain("tlsguard");

            // with the user's home: nobody's directories are passed over, untouched
            Fork.Result attach =
                    cliAs(USER, env, List.of("-Djava.io.tmpdir=" + tmp), "attach", pid, "--report", "a.jsonl");
            assertThat(attach.exit()).as("%s", attach).isZero();
            assertThat(Files.readAllBytes(plantedJar)).containsExactly('P', 'K', 0, 0);
            assertThat(Files.list(planted)).hasSize(1);
            assertThat(Files.list(evilCache)).isEmpty();

            // nobody's directory gone: the fallback in the shared tmp is made by the user, owner-only, and works
            // (attach extracts the jar whether it loads it or reconfigures through the MBean; status never needs it)
            Files.delete(plantedJar);
            Files.delete(planted);
            Fork.Result fallback = cliAs(USER, env, noHome, "attach", pid);
            assertThat(fallback.exit()).as("%s", fallback).isZero();
            assertThat(Files.getAttribute(planted, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(uid);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(planted)))
                    .isEqualTo("rwx------");
            assertThat(Files.list(planted))
                    .anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        }
    }

    @Test
    void hugeNumbersAreNoPids() throws Exception {
        List<String> args = new ArrayList<>(List.of("attach", "99999999999999999999999"));
        Fork.Result r = cliAs(USER, Map.of(), List.of(), args.toArray(new String[0]));
        CliErrorsIT.oneLineError(r, ExitCodes.USAGE, "'99999999999999999999999' is not a process id");
    }
}
