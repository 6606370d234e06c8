package io.tlsguard.agent;

import io.tlsguard.agent.policy.Mode;
import io.tlsguard.agent.policy.ProtocolPolicy;
import io.tlsguard.agent.policy.Rewrite;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The user's option string of {@code -javaagent:tlsguard.jar=OPTIONS} and of dynamic attach:
 * comma-separated {@code key=value}, each key at most once. Parsing never throws; a bad string yields
 * {@link #error()}, one line naming the problem. Only the keys of {@link #USAGE} exist here: what the
 * attach CLI adds (its command, its reply file) travels in {@link AttachRequest}, out of a user's reach.
 */
public final class AgentOptions {
    /** The keys a user may give, in the order the usage line shows them. */
    static final String USAGE =
            "mode=report|enforce|deny, min=TLSv1.2|TLSv1.3, rewrite=floor|floor-and-above, report=PATH|stderr, cache=DIR|off";

    private Mode mode = Mode.REPORT;
    /** Whether any mode= item asked for something other than report, valid or not. */
    private boolean guardingAsked;

    private String floor = ProtocolPolicy.TLS12;
    private String report;
    private String cache;
    private String error;
    // --- issue 11 item 4: rewrite= (what enforce makes of a legacy-only pin) ---
    private Rewrite rewrite = Rewrite.FLOOR;

    private AgentOptions() {}

    public static AgentOptions parse(String options) {
        AgentOptions parsed = new AgentOptions();
        if (options == null || options.trim().isEmpty()) {
            return parsed;
        }
        parsed.guardingAsked = asksForGuarding(options);
        Map<String, String> seen = new LinkedHashMap<>();
        for (String part : options.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                return parsed.fail("option '" + item + "' is not key=value (known: " + USAGE + ")");
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (seen.put(key, value) != null) {
                return parsed.fail("option '" + key + "' is given twice");
            }
            String problem = parsed.apply(key, value);
            if (problem != null) {
                return parsed.fail(problem);
            }
        }
        return parsed;
    }

    /**
     * Whether any "mode=" in the string, wherever it stands, asks for something other than report. Known
     * before anything can fail, so that a bad option string still fails closed when it asked for guarding
     * ("mode=enforce,mode=report" or "mode=enforce,command=status" must not run unguarded); when in doubt,
     * closed.
     */
    private static boolean asksForGuarding(String options) {
        for (int at = options.indexOf("mode="); at >= 0; at = options.indexOf("mode=", at + 1)) {
            int end = at + 5;
            while (end < options.length() && options.charAt(end) != ',' && options.charAt(end) != ';') {
                end++;
            }
            if (!options.substring(at + 5, end).trim().equalsIgnoreCase("report")) {
                return true;
            }
        }
        return false;
    }

    private String apply(String key, String value) {
        switch (key) {
            case "mode":
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "report":
                        mode = Mode.REPORT;
                        return null;
                    case "enforce":
                        mode = Mode.ENFORCE;
                        return null;
                    case "deny":
                        mode = Mode.DENY;
                        return null;
                    default:
                        return "option mode=" + value + " is not one of report, enforce, deny";
                }
            case "min":
                if (value.equalsIgnoreCase(ProtocolPolicy.TLS12)) {
                    floor = ProtocolPolicy.TLS12;
                } else if (value.equalsIgnoreCase(ProtocolPolicy.TLS13)) {
                    floor = ProtocolPolicy.TLS13;
                } else {
                    return "option min=" + value + " is not one of TLSv1.2, TLSv1.3";
                }
                return null;
            case "report":
                if (value.isEmpty()) {
                    return "option report= needs a path (or stderr)";
                }
                report = value;
                return null;
            case "cache":
                if (value.isEmpty()) {
                    return "option cache= needs a directory (or off)";
                }
                cache = value;
                return null;
            case "rewrite": // issue 11 item 4
                Rewrite r = Rewrite.of(value);
                if (r == null) {
                    return "option rewrite=" + value + " is not one of floor, floor-and-above";
                }
                rewrite = r;
                return null;
            default:
                return "unknown option '" + key + "' (known: " + USAGE + ")";
        }
    }

    /** Options that could not be read at all (a malformed attach request): report mode, with the problem. */
    static AgentOptions invalid(String problem) {
        return new AgentOptions().fail(problem);
    }

    private AgentOptions fail(String problem) {
        this.error = problem;
        return this;
    }

    /** One line naming what is wrong, or null. */
    public String error() {
        return error;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Whether a bad option string must stop the JVM: the user asked for enforce or deny (or we cannot
     * tell what they asked for), and running unprotected would be a silent downgrade. Fail closed.
     */
    public boolean failsClosed() {
        return guardingAsked;
    }

    public String floor() {
        return floor;
    }

    /** What enforce makes of a pin of legacy protocols only (issue 11 item 4): the floor, or it and above. */
    public Rewrite rewrite() {
        return rewrite;
    }

    /** The report path as given (may hold %p), "stderr", or null for the default file. */
    public String report() {
        return report;
    }

    /** Where transformed JDK classes are kept between runs: null (the default place), "off", or a directory. */
    public String cache() {
        return cache;
    }
}
