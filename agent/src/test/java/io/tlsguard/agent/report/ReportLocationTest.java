package io.tlsguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsguard.files.UntrustedPathException;
import io.tlsguard.testsupport.TestUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the report goes, with real directories and owners (tests run as root; another user via chown). */
class ReportLocationTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultIsTheXdgStateDirectoryMadeOwnerOnly() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        ReportSink sink = ReportLocation.open(null, "42", state.toString(), "/nonexistent", tmp.toString());
        sink.close();
        Path report = state.resolve("tlsguard/tlsguard-42.jsonl");
        assertThat(sink.target()).isEqualTo(report.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report)))
                .isEqualTo("rw-------");
    }

    @Test
    void withoutXdgTheHomeStateDirectory() throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        ReportSink sink = ReportLocation.open(null, "42", null, home.toString(), tmp.toString());
        sink.close();
        assertThat(sink.target())
                .isEqualTo(
                        home.resolve(".local/state/tlsguard/tlsguard-42.jsonl").toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".local"))))
                .isEqualTo("rwx------");
    }

    /** A root JVM that inherited another user's XDG_STATE_HOME creates nothing there and uses its own home. */
    @Test
    void anXdgDirectoryOfAnotherUserIsNotTouched() throws Exception {
        assumeTrue(TestUser.available(), "needs root to give a directory to another user");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        TestUser.chown(theirs);
        Path home = Files.createDirectory(tmp.resolve("home"));
        ReportSink sink =
                ReportLocation.open(null, "42", theirs.resolve("state").toString(), home.toString(), tmp.toString());
        sink.close();
        assertThat(theirs.resolve("state")).doesNotExist();
        assertThat(sink.target()).startsWith(home.toString());
    }

    @Test
    void withoutAUsableHomeAFreshPrivateDirectoryInTmpdir() throws Exception {
        ReportSink sink = ReportLocation.open(null, "42", null, "/nonexistent", tmp.toString());
        sink.close();
        Path report = Path.of(sink.target());
        assertThat(report.getParent().getParent()).isEqualTo(tmp.toRealPath());
        assertThat(report.getParent().getFileName().toString()).startsWith("tlsguard-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void anExplicitPathInASharedDirectoryIsRefusedWithTheReason() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ReportLocation.open(shared + "/app-%p.jsonl", "42"))
                .isInstanceOf(UntrustedPathException.class)
                .hasMessage(shared.toRealPath() + " is writable by other users (mode 0777)");
    }

    @Test
    void aRunAfterACutLineStartsOnANewLine() throws Exception {
        Path report = tmp.resolve("r.jsonl");
        Files.write(report, "{\"a\":1}\n{\"b\":".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-------"));
        ReportWriter writer = new ReportWriter(ReportLocation.open(report.toString(), "42")).start();
        writer.offer(new Event() {
            @Override
            public void write(com.fasterxml.jackson.core.JsonGenerator json, Resource resource)
                    throws java.io.IOException {
                json.writeStartObject();
                json.writeEndObject();
            }

            @Override
            public Severity severity() {
                return Severity.INFO;
            }
        });
        writer.close(null, "the JVM is exiting");
        assertThat(Files.readAllLines(report)).containsExactly("{\"a\":1}", "{\"b\":", "{}");
    }

    @Test
    void controlCharactersArePrintedEscaped() {
        assertThat(ReportLocation.printable("/tmp/a\nb\\c\u0001")).isEqualTo("/tmp/a\\nb\\\\c\\x01");
        assertThat(ReportLocation.printable("/plain")).isEqualTo("/plain");
    }
}
