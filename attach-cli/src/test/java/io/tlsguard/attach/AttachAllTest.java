package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What attach --all leaves alone: the JDK's tools (Java 9+ module/class, Java 8 class) and tlsguard-attach itself. */
class AttachAllTest {
    @Test
    void skipsJdkToolsAndItselfOnly() {
        assertThat(AttachAll.skipReason("jdk.jcmd/sun.tools.jcmd.JCmd")).isEqualTo("a JDK tool");
        assertThat(AttachAll.skipReason("jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider"))
                .isNotNull();
        assertThat(AttachAll.skipReason("sun.tools.jps.Jps")).isEqualTo("a JDK tool");
        assertThat(AttachAll.skipReason("/opt/tlsguard/tlsguard-attach.jar")).isEqualTo("tlsguard-attach");
        assertThat(AttachAll.skipReason("com.example.billing.Main")).isNull();
        assertThat(AttachAll.skipReason("/opt/app/app.jar")).isNull();
        assertThat(AttachAll.skipReason("org.jdk.fan.Main")).isNull();
    }
}
