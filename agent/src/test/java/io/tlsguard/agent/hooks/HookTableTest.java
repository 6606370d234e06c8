package io.tlsguard.agent.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hook table is the one list of hooks: the docs list exactly its hooks, and every advice it names exists. */
class HookTableTest {
    private static final Path DOCS = Paths.get("../docs/how-it-works.md");
    /** A table row whose first cell starts with a code span: `hook`. */
    private static final Pattern HOOK_ROW = Pattern.compile("^\\| `([^`]+)`");

    @Test
    void docsListExactlyTheHooksOfTheTable() throws IOException {
        List<String> table = new ArrayList<>();
        for (HookPoint hook : HookTable.ALL) {
            table.add(hook.documentedAs());
        }
        assertThat(documentedHooks())
                .as("hooks listed in %s, section 'What is hooked, and why'", DOCS)
                .containsExactlyInAnyOrderElementsOf(table);
    }

    @Test
    void everyAdviceExistsAndIsNamedByItsSimpleName() throws ClassNotFoundException {
        for (HookPoint hook : HookTable.ALL) {
            assertThat(Class.forName(
                            "io.tlsguard.agent.hooks.advice." + hook.advice(),
                            false,
                            getClass().getClassLoader()))
                    .as(hook.toString())
                    .isNotNull();
        }
    }

    @Test
    void namedClassesAreTheTablesOwnersAndTheJdkImplementations() {
        assertThat(HookTable.NAMED_CLASSES)
                .containsExactlyInAnyOrder(
                        "javax.net.ssl.SSLContext",
                        "javax.net.ssl.SSLParameters",
                        "sun.security.ssl.SSLSocketImpl",
                        "sun.security.ssl.SSLServerSocketImpl",
                        "sun.security.ssl.SSLEngineImpl",
                        "sun.security.ssl.HandshakeContext",
                        "sun.security.ssl.TransportContext");
    }

    @Test
    void libraryClassesAreHookedByNameButAreNotJdkClasses() {
        assertThat(HookTable.LIBRARY_CLASSES)
                .containsExactlyInAnyOrder(
                        "okhttp3.ConnectionSpec", "okhttp3.internal.connection.ConnectionSpecSelector");
        assertThat(HookTable.NAMED_CLASSES).doesNotContainAnyElementsOf(HookTable.LIBRARY_CLASSES);
    }

    @Test
    void providerOnlyHooksAreOnImplementationsButNotNamed() {
        HookPoint complete = hook("notifyHandshakeComplete(ProvSSLConnection)");
        assertThat(complete.onSslImplementations()).isTrue();
        assertThat(complete.onProvidersOnly()).isTrue();
        assertThat(hook("setEnabledProtocols(String[])").onProvidersOnly()).isFalse();
        assertThat(hook("startHandshake(boolean)").acceptsDescriptor("(Z)V")).isTrue();
        assertThat(hook("startHandshake(boolean)").acceptsDescriptor("()V")).isFalse();
    }

    @Test
    void shapesCompareDescriptors() {
        HookPoint getInstance = hook("SSLContext.getInstance(String[, String or Provider])");
        assertThat(getInstance.acceptsDescriptor("(Ljava/lang/String;)Ljavax/net/ssl/SSLContext;"))
                .isTrue();
        assertThat(getInstance.acceptsDescriptor(
                        "(Ljava/lang/String;Ljava/security/Provider;)Ljavax/net/ssl/SSLContext;"))
                .isTrue();
        assertThat(getInstance.acceptsDescriptor("()Ljavax/net/ssl/SSLContext;"))
                .isFalse();
        assertThat(getInstance.acceptsDescriptor("(I)Ljavax/net/ssl/SSLContext;"))
                .isFalse();

        HookPoint setEnabled = hook("setEnabledProtocols(String[])");
        assertThat(setEnabled.acceptsDescriptor("([Ljava/lang/String;)V")).isTrue();
        assertThat(setEnabled.acceptsDescriptor("([Ljava/lang/String;)Z")).isFalse();
        assertThat(setEnabled.acceptsDescriptor("(Ljava/lang/String;)V")).isFalse();
        assertThat(setEnabled.acceptsDescriptor("([Ljava/lang/String;I)V")).isFalse();

        HookPoint start = hook("HandshakeContext(SSLContextImpl, TransportContext)");
        assertThat(start.acceptsDescriptor("(Lsun/security/ssl/SSLContextImpl;Lsun/security/ssl/TransportContext;)V"))
                .isTrue();
        assertThat(start.acceptsDescriptor("(Lsun/security/ssl/TransportContext;)V"))
                .isFalse();

        HookPoint fatal = hook("TransportContext.fatal(Alert, String, boolean, Throwable)");
        assertThat(
                        fatal.acceptsDescriptor(
                                "(Lsun/security/ssl/Alert;Ljava/lang/String;ZLjava/lang/Throwable;)Ljavax/net/ssl/SSLException;"))
                .isTrue();
        assertThat(fatal.acceptsDescriptor("(Lsun/security/ssl/Alert;[[JZLjava/lang/Throwable;)V"))
                .isTrue();
        assertThat(fatal.acceptsDescriptor("(Lsun/security/ssl/Alert;Ljava/lang/String;)Ljavax/net/ssl/SSLException;"))
                .isFalse();
    }

    private static HookPoint hook(String documentedAs) {
        for (HookPoint hook : HookTable.ALL) {
            if (hook.documentedAs().equals(documentedAs)) {
                return hook;
            }
        }
        throw new AssertionError("no hook " + documentedAs);
    }

    /** The first code span of each table row in the section on what is hooked. */
    private static List<String> documentedHooks() throws IOException {
        List<String> hooks = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(DOCS, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## What is hooked, and why");
            } else if (inSection) {
                Matcher row = HOOK_ROW.matcher(line);
                if (row.find()) {
                    hooks.add(row.group(1));
                }
            }
        }
        assertThat(hooks).as("hook rows found in " + DOCS).isNotEmpty();
        return hooks;
    }
}
