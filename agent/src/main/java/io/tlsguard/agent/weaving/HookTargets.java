package io.tlsguard.agent.weaving;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Which classes get hooks: the JDK classes hooked by name, and any other class that implements a
 * socket, server socket or engine (a provider's). Asked by the transformer for every class that loads,
 * and by the installer for the classes already loaded.
 */
final class HookTargets {
    /** Names of the classes hooked by name (everything else hooked is a provider's subtype). */
    private static final Set<String> NAMED = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "javax.net.ssl.SSLContext", "javax.net.ssl.SSLParameters", "sun.security.ssl.SSLSocketImpl",
            "sun.security.ssl.SSLServerSocketImpl", "sun.security.ssl.SSLEngineImpl", "sun.security.ssl.HandshakeContext",
            "sun.security.ssl.TransportContext")));

    private HookTargets() {
    }

    static boolean isNamed(String className) {
        return NAMED.contains(className);
    }

    /** A JDK class: hooked only if named; never a provider's socket or engine. */
    static boolean isPlatform(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    /** A loaded class that implements a socket, server socket or engine. */
    static boolean isSslImplementation(Class<?> type) {
        return SSLSocket.class.isAssignableFrom(type) || SSLServerSocket.class.isAssignableFrom(type)
                || SSLEngine.class.isAssignableFrom(type);
    }
}
