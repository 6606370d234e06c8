package io.tlsguard.agent;

import java.io.InputStream;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.function.Function;

/**
 * The JDK's resources for {@link AgentClassLoader}: its parent's class files, which Byte Buddy reads to describe
 * JDK types while it weaves. {@code AgentClassLoader} itself is a class of the application's loader (the
 * trampoline's), so under a security manager installed by the application its frames hold what the policy gives
 * tlsguard.jar, often nothing: a lookup made there is denied ({@code getClassLoader}, or the read of the JDK's
 * jars on Java 8), and a class woven after the manager arrived went unhooked. This class is one of
 * {@code AgentClassLoader}'s own (AllPermission), and its {@code doPrivileged} ends the check here. It hands out
 * only what the parent loader would give its own code: the JDK's resources, nothing of the application.
 */
final class PlatformResources implements Function<String, InputStream> {
    private final ClassLoader platform;

    PlatformResources(ClassLoader platform) {
        this.platform = platform;
    }

    @Override
    public InputStream apply(final String name) {
        return AccessController.doPrivileged(
                new PrivilegedAction<InputStream>() { // not a lambda: see ReportWriter
                    @Override
                    public InputStream run() {
                        return platform.getResourceAsStream(name);
                    }
                });
    }
}
