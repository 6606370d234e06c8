package io.tlsguard.contract;

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
 * unknown option. {@code options=} comes last and runs to the end, so a report path may hold ';'. The CLI
 * {@link #encode}s, the agent decodes ({@link #onAttach}); the agent writes its one-line JSON reply
 * (keys: {@link ReplyKey}) to {@link #reply()}, creating it exclusively, so that path must not exist yet.
 */
public final class AttachRequest {
    /** The envelope's version tag. */
    public static final String PROTOCOL = "tlsguard-attach/1";

    private static final String COMMAND = "command=";
    private static final String REPLY = "reply=";
    private static final String OPTIONS = "options=";

    private final Command command;
    private final Path reply;
    private final UserOptions options;

    private AttachRequest(Command command, Path reply, UserOptions options) {
        this.command = command;
        this.reply = reply;
        this.options = options;
    }

    /**
     * The attach CLI's request.
     *
     * @throws IllegalArgumentException when {@code reply} is not absolute or holds ';' or a line break
     */
    public static AttachRequest of(Command command, Path reply, UserOptions options) {
        String r = reply.toString();
        if (!reply.isAbsolute() || r.indexOf(';') >= 0 || r.indexOf('\n') >= 0 || r.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the reply path must be absolute, without ';' or a line break: " + r);
        }
        if (options.error() != null) {
            throw new IllegalArgumentException(options.error());
        }
        return new AttachRequest(command, reply, options);
    }

    /** {@code -javaagent:tlsguard.jar=OPTIONS}: user options only. */
    public static AttachRequest atStartup(String options) {
        return new AttachRequest(Command.ATTACH, null, UserOptions.parse(options));
    }

    /** Dynamic attach: the CLI's envelope, or plain user options (e.g. from {@code jcmd PID JVMTI.agent_load}). */
    public static AttachRequest onAttach(String raw) {
        if (raw == null || !raw.startsWith(PROTOCOL + ";")) {
            return atStartup(raw);
        }
        String rest = raw.substring(PROTOCOL.length() + 1);
        String command = field(rest, COMMAND);
        rest = command == null ? null : rest.substring(COMMAND.length() + command.length() + 1);
        String reply = rest == null ? null : field(rest, REPLY);
        rest = reply == null ? null : rest.substring(REPLY.length() + reply.length() + 1);
        if (rest == null || !rest.startsWith(OPTIONS)) {
            return malformed("a request from the attach CLI is malformed: " + raw);
        }
        Path replyPath = Paths.get(reply);
        if (!replyPath.isAbsolute()) {
            return malformed("the attach CLI's reply path is not absolute: " + reply);
        }
        Command known = Command.fromKey(command);
        if (known == null) { // answered (the CLI waits for it) as a status that changes nothing
            return new AttachRequest(
                    Command.STATUS,
                    replyPath,
                    UserOptions.invalid("the attach CLI asked for an unknown command: " + command));
        }
        return new AttachRequest(known, replyPath, UserOptions.parse(rest.substring(OPTIONS.length())));
    }

    /** The agentmain argument. */
    public String encode() {
        return PROTOCOL + ";" + COMMAND + command.key() + ";" + REPLY + reply + ";" + OPTIONS + options.encode();
    }

    /** The value of {@code key} at the start of {@code s}, up to the next ';', or null. */
    private static String field(String s, String key) {
        int end = s.indexOf(';');
        return s.startsWith(key) && end > 0 ? s.substring(key.length(), end) : null;
    }

    private static AttachRequest malformed(String problem) {
        return new AttachRequest(Command.ATTACH, null, UserOptions.invalid(problem));
    }

    public Command command() {
        return command;
    }

    /** Where the CLI waits for the one-line JSON reply, or null when nobody asked (startup, jcmd). */
    public Path reply() {
        return reply;
    }

    public UserOptions options() {
        return options;
    }
}
