package io.tlsguard.agent;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Keeps tlsguard out of the JDK's own tools (keytool, jps, jcmd, jar...) when it reached them through
 * {@code JAVA_TOOL_OPTIONS} (or {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}), which every JVM of a user
 * or service reads. Two rules keep that exemption from ever skipping an application:
 * <ul>
 * <li>an agent given explicitly on the command line ({@code -javaagent:...tlsguard.jar}) always runs: the
 *     user asked for it in this very JVM;</li>
 * <li>a JDK tool is recognised by what it is, not by its name: its main class comes from the JDK itself
 *     (the runtime image, {@code jrt:}, or a jar of the JDK's installation on JDK 8). An application
 *     launched with {@code -jar} never is one, whatever its jar or package is called ({@code jdk.billing.jar}).</li>
 * </ul>
 */
final class JdkTools {
    private static final String[] ENVIRONMENT = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"};

    private JdkTools() {}

    /**
     * Whether to stay out of this JVM: a JDK tool, and tlsguard was not asked for on its command line. The
     * tool first: for an application that answers it from a system property and the main class's location,
     * without reading /proc (whose NIO file classes a start would otherwise load for nothing).
     */
    static boolean isJdkToolReachedThroughEnvironment(String agentJarName) {
        return isJdkTool() && !explicitOnCommandLine(agentJarName);
    }

    /**
     * Whether the command line itself holds {@code -javaagent:} naming our jar. Where it cannot be read (no
     * /proc), whether no environment variable does: then it must have come from the command line.
     */
    static boolean explicitOnCommandLine(String agentJarName) {
        try {
            byte[] cmdline = Files.readAllBytes(Paths.get("/proc/self/cmdline"));
            for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
                if (namesAgent(arg, agentJarName)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException noProc) {
            for (String variable : ENVIRONMENT) {
                String value = System.getenv(variable);
                for (String arg : value == null ? new String[0] : value.trim().split("\\s+")) {
                    if (namesAgent(arg, agentJarName)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static boolean namesAgent(String word, String agentJarName) {
        String arg = word.startsWith("-J") ? word.substring(2) : word; // jcmd -J-javaagent:... is explicit too
        if (!arg.startsWith("-javaagent:")) {
            return false;
        }
        int options = arg.indexOf('=');
        String jar =
                options < 0 ? arg.substring("-javaagent:".length()) : arg.substring("-javaagent:".length(), options);
        return new File(jar).getName().equals(agentJarName);
    }

    /** Whether the program this JVM runs is one of the JDK's tools. */
    static boolean isJdkTool() {
        String command = System.getProperty("sun.java.command", "").trim();
        String main = command.isEmpty() ? "" : command.split("\\s+")[0];
        if (main.isEmpty() || main.endsWith(".jar") || new File(main).isFile()) {
            return false; // -jar: the JDK starts none of its tools that way
        }
        int slash = main.indexOf('/');
        String className = slash >= 0 ? main.substring(slash + 1) : main; // module/class, as JDK 9+ starts its tools
        URL location = ClassLoader.getSystemResource(className.replace('.', '/') + ".class");
        return location != null && fromTheJdk(location.toString());
    }

    /** {@code jrt:/jdk.jcmd/...} (JDK 9+), or a jar inside the JDK's installation (JDK 8's rt.jar, tools.jar). */
    static boolean fromTheJdk(String location) {
        if (location.startsWith("jrt:/")) {
            return true;
        }
        if (!location.startsWith("jar:file:")) {
            return false;
        }
        String jar = location.substring("jar:file:".length(), Math.max("jar:file:".length(), location.indexOf("!/")));
        File installation = new File(System.getProperty("java.home", "/nonexistent"));
        if (installation.getName().equals("jre") && installation.getParentFile() != null) {
            installation = installation.getParentFile(); // JDK 8: tools.jar lives in the JDK's lib, beside jre/
        }
        try {
            String root = installation.getCanonicalPath() + File.separator;
            return new File(java.net.URLDecoder.decode(jar, "UTF-8"))
                    .getCanonicalPath()
                    .startsWith(root);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
