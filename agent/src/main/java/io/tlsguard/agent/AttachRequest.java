package io.tlsguard.agent;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What one start of the agent was asked to do. At startup ({@code -javaagent:tlsguard.jar=OPTIONS}) that is
 * always "attach with these user options". On dynamic attach the attach CLI wraps the user options in an
 * envelope that also carries its command and the file for the reply:
 *
 * <pre>tlsguard-attach/1;command=status;reply=/tmp/tlsguard-reply-123/reply.json;options=mode=enforce,min=TLSv1.2</pre>
 *
 * The command and the reply file are the CLI's protocol, not options: no user option string can reach them
 * (a key holds no '/' or ';'), and {@code -javaagent} never reads the envelope, so it refuses it like any
 * unknown option. {@code options=} comes last and runs to the end, so a report path may hold ';'.
 */
final class AttachRequest {
    /** The envelope's version tag; the attach CLI writes the same one. */
    static final String PROTOCOL = "tlsguard-attach/1";

    private final Command command;
    private final Path reply;
    private final AgentOptions options;

    private AttachRequest(Command command, Path reply, AgentOptions options) {
        this.command = command;
        this.reply = reply;
        this.options = options;
    }

    /** {@code -javaagent:tlsguard.jar=OPTIONS}: user options only. */
    static AttachRequest atStartup(String options) {
        return new AttachRequest(Command.ATTACH, null, AgentOptions.parse(options));
    }

    /** Dynamic attach: the CLI's envelope, or plain user options (e.g. from {@code jcmd PID JVMTI.agent_load}). */
    static AttachRequest onAttach(String raw) {
        if (raw == null || !raw.startsWith(PROTOCOL + ";")) {
            return atStartup(raw);
        }
        String rest = raw.substring(PROTOCOL.length() + 1);
        String command = field(rest, "command=");
        rest = command == null ? null : rest.substring("command=".length() + command.length() + 1);
        String reply = rest == null ? null : field(rest, "reply=");
        rest = reply == null ? null : rest.substring("reply=".length() + reply.length() + 1);
        if (rest == null || !rest.startsWith("options=")) {
            return malformed("a request from the attach CLI is malformed: " + raw);
        }
        Path replyPath = Paths.get(reply);
        if (!replyPath.isAbsolute()) {
            return malformed("the attach CLI's reply path is not absolute: " + reply);
        }
        AgentOptions options = AgentOptions.parse(rest.substring("options=".length()));
        for (Command c : Command.values()) {
            if (c.name().equalsIgnoreCase(command)) {
                return new AttachRequest(c, replyPath, options);
            }
        }
        return new AttachRequest(
                Command.STATUS,
                replyPath,
                AgentOptions.invalid("the attach CLI asked for an unknown command: " + command));
    }

    /** The value of {@code key} at the start of {@code s}, up to the next ';', or null. */
    private static String field(String s, String key) {
        int end = s.indexOf(';');
        return s.startsWith(key) && end > 0 ? s.substring(key.length(), end) : null;
    }

    private static AttachRequest malformed(String problem) {
        return new AttachRequest(Command.ATTACH, null, AgentOptions.invalid(problem));
    }

    Command command() {
        return command;
    }

    /** Where the CLI waits for the one-line JSON reply, or null when nobody asked (startup, jcmd). */
    Path reply() {
        return reply;
    }

    AgentOptions options() {
        return options;
    }
}
