package io.tlsguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

class JdkToolsTest {

    @Test
    void theJdkIsKnownByWhereItsClassesComeFrom() {
        String home = new File(System.getProperty("java.home")).getAbsolutePath();
        assertThat(JdkTools.fromTheJdk("jrt:/jdk.jcmd/sun/tools/jcmd/JCmd.class"))
                .isTrue();
        assertThat(JdkTools.fromTheJdk("jar:file:" + home + "/lib/tools.jar!/sun/tools/jps/Jps.class"))
                .isTrue();
        assertThat(JdkTools.fromTheJdk("jar:file:/opt/billing/jdk.billing.jar!/jdk/billing/Main.class"))
                .isFalse();
        assertThat(JdkTools.fromTheJdk("file:/opt/app/classes/jdk/tools/Main.class"))
                .isFalse();
        assertThat(JdkTools.fromTheJdk("jar:file:" + home + "/../outside.jar!/sun/tools/X.class"))
                .isFalse();
    }
}
