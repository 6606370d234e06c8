package io.tlsguard.agent;

/**
 * Recognises the JDK's own tools (keytool, jps, jcmd, jar...). Given through JAVA_TOOL_OPTIONS, the
 * agent reaches every JVM the user starts, these included; it stays out of them, silently.
 */
final class JdkTools {
    private static final String[] TOOL_PACKAGES = {
        "sun.tools.", "sun.security.tools.", "com.sun.tools.", "jdk.", "sun.jvm.hotspot.", "sun.rmi.", "com.sun.jndi.",
        "sun.applet.", "com.sun.corba.", "sun.launcher."
    };

    private JdkTools() {
    }

    static boolean isJdkTool() {
        String command = System.getProperty("sun.java.command", "").trim();
        String main = command.isEmpty() ? "" : command.split("\\s+")[0];
        int slash = main.indexOf('/');
        if (slash >= 0) { // module/class, the way the JDK 9+ launchers start their tools
            String module = main.substring(0, slash);
            if (module.startsWith("jdk.") || module.startsWith("java.")) {
                return true;
            }
            main = main.substring(slash + 1);
        }
        for (String prefix : TOOL_PACKAGES) {
            if (main.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
