package io.tlsguard.agent.report;

/**
 * What {@code sun.java.command} says was launched: the main class ({@code com.example.Main arg...}) or, for
 * {@code java -jar}, the jar's path ({@code /opt/app/app.jar arg...}). The launcher joins the arguments with
 * spaces, so a jar path with spaces is recognised by its ".jar" ending.
 */
final class JavaCommand {
    private JavaCommand() {}

    /** The main class or jar path; null when the property is absent or blank (a JVM started over JNI). */
    static String launched(String javaCommand) {
        if (javaCommand == null) {
            return null;
        }
        String command = javaCommand.trim();
        if (command.isEmpty()) {
            return null;
        }
        String lower = command.toLowerCase(java.util.Locale.ROOT);
        int jar = lower.indexOf(".jar ");
        if (lower.endsWith(".jar")) {
            jar = jar >= 0 ? jar : command.length() - 4;
        }
        if (jar >= 0) {
            return command.substring(0, jar + 4);
        }
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    /** The program's name for service.name: the main class, or the jar's file name without its directories. */
    static String program(String launched) {
        if (launched == null) {
            return null;
        }
        if (!launched.toLowerCase(java.util.Locale.ROOT).endsWith(".jar")) {
            return ResourceAttributes.bounded(launched);
        }
        int slash = Math.max(launched.lastIndexOf('/'), launched.lastIndexOf('\\'));
        return ResourceAttributes.bounded(launched.substring(slash + 1));
    }
}
