package io.tlsguard.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What attach --all leaves alone: the JDK's tools (Java 9+ module/class, Java 8 class), tlsguard-attach itself, and
 * JVMs whose published properties say tlsguard already runs in them.
 */
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

    @Test
    void skipsJvmsThatPublishATlsguardVersion() {
        Properties plain = new Properties();
        plain.setProperty("java.version", "17.0.15");
        assertThat(AttachAll.alreadyRunning(plain)).isNull();

        Properties running = new Properties();
        running.setProperty("tlsguard.version", "0.2.0");
        running.setProperty("tlsguard.mode", "enforce");
        assertThat(AttachAll.alreadyRunning(running)).isEqualTo("already running tlsguard 0.2.0 (mode enforce)");

        Properties modeless = new Properties();
        modeless.setProperty("tlsguard.version", "0.1.0");
        assertThat(AttachAll.alreadyRunning(modeless))
                .as("another version, or one that publishes no mode, is still a running tlsguard")
                .isEqualTo("already running tlsguard 0.1.0 (mode ?)");
    }
}
