package io.tlsguard.agent.policy;

/**
 * The policy's answer to one pin below the floor: the {@link Action} and the protocols that apply
 * afterwards (the requested ones when observed, the narrowed ones when rewritten, none when denied).
 * What a denial looks like to the caller (which exception) is the hook's business.
 */
public final class Decision {
    private final Action action;
    private final String[] applied;

    Decision(Action action, String[] applied) {
        this.action = action;
        this.applied = applied;
    }

    public Action action() {
        return action;
    }

    /** The array itself, not a copy: the caller hands it to JSSE or to the report, and changes it in neither. */
    public String[] applied() {
        return applied;
    }
}
