package io.tlsguard.attach;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The one argument the CLI hands to the agent's {@code agentmain}:
 * {@code tlsguard-attach/1;command=<attach|status|detach>;reply=<absolute path>;options=<user options>}.
 * The internal keys (command, reply) travel outside the user's option string, so no user option can name them.
 * {@code options=} comes last and runs verbatim to the end (it may hold ';' and '='); it is the same
 * {@code mode=...,min=...,report=...,cache=...} string {@code -javaagent} takes, possibly empty. The agent writes its
 * one-line JSON reply to {@code reply}, creating it exclusively, so that path must not exist yet.
 */
final class AgentRequest {
    /** The format's name and version; the agent's parser checks the same constant. */
    static final String PROTOCOL = "tlsguard-attach/1";

    enum Command {
        ATTACH,
        STATUS,
        DETACH;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final Command command;
    final Path reply;
    final String options;

    AgentRequest(Command command, Path reply, String options) {
        String r = reply.toString();
        if (!reply.isAbsolute() || r.contains(";") || r.contains("\n")) {
            throw new IllegalArgumentException("the reply path must be absolute, without ';' or a newline: " + r);
        }
        this.command = command;
        this.reply = reply;
        this.options = options == null ? "" : options;
    }

    /** The agentmain argument. */
    String encode() {
        return PROTOCOL + ";command=" + command.key() + ";reply=" + reply + ";options=" + options;
    }
}
