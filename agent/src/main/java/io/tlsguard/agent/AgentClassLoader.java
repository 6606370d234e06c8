package io.tlsguard.agent;

import java.net.URL;
import java.net.URLClassLoader;
import java.security.AllPermission;
import java.security.CodeSource;
import java.security.PermissionCollection;
import java.security.Permissions;

/**
 * The class loader of tlsguard's implementation: the agent jar, with the platform (Java 9+) or extension
 * (Java 8) loader as parent, so that the bootstrap runtime and the JDK are shared and nothing of the
 * application is visible.
 *
 * <p>Its classes hold {@link AllPermission}, whatever the security policy says (a {@code Permissions}
 * holding AllPermission makes the ProtectionDomain answer every check without asking the policy). Why:
 * under a security manager whose policy grants only the application's code, tlsguard's hooks run on the
 * application's threads and must read system properties, JSSE's fields and socket addresses; the
 * system class loader would give tlsguard.jar nothing. tlsguard is code the operator chose to run with
 * {@code -javaagent}, which can redefine any class anyway. What matters is that the application's
 * sandboxed code cannot use tlsguard as a deputy: no class of this loader is reachable from it, and
 * every privileged action is tlsguard's own (see {@link AgentStart}, {@link io.tlsguard.agent.hooks.PrivilegedHandler}).
 */
final class AgentClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    AgentClassLoader(URL agentJar, ClassLoader parent) {
        super(new URL[] {agentJar}, parent);
    }

    @Override
    protected PermissionCollection getPermissions(CodeSource codeSource) {
        Permissions all = new Permissions();
        all.add(new AllPermission());
        return all;
    }
}
