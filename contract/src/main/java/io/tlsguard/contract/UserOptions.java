package io.tlsguard.contract;

import java.util.HashSet;
import java.util.Set;

/**
 * The user's options, validated once for both sides: the agent parses the string of
 * {@code -javaagent:tlsguard.jar=OPTIONS} (and of dynamic attach), the attach CLI builds one from its flags with
 * {@link #with} and {@link #encode}s it; both get the same checks and the same messages.
 *
 * <p>The string is comma-separated {@code key=value}, each {@link OptionKey} at most once. {@link #parse}
 * never throws: a bad string yields {@link #error()}, one line naming the problem, and {@link #failsClosed()}
 * says whether it asked for guarding (then the JVM must not run unguarded). Immutable.
 */
public final class UserOptions {
    /** The options a user may give, for usage lines. */
    public static final String USAGE;

    static {
        StringBuilder usage = new StringBuilder();
        for (OptionKey k : OptionKey.values()) {
            usage.append(usage.length() == 0 ? "" : ", ")
                    .append(k.key())
                    .append('=')
                    .append(k.accepted());
        }
        USAGE = usage.toString();
    }

    /** No option given: report mode, TLSv1.2, rewrite to the floor, the default report and cache. */
    public static final UserOptions NONE = new UserOptions();

    private Mode mode;
    private MinProtocol min;
    private Rewrite rewrite;
    private String report;
    private String cache;
    private String otlp;
    private String service;
    private String error;
    /** Whether any mode= item asked for something other than report, valid or not. */
    private boolean guardingAsked;

    private UserOptions() {}

    private UserOptions copy() {
        UserOptions c = new UserOptions();
        c.mode = mode;
        c.min = min;
        c.rewrite = rewrite;
        c.report = report;
        c.cache = cache;
        c.otlp = otlp;
        c.service = service;
        c.error = error;
        c.guardingAsked = guardingAsked;
        return c;
    }

    public static UserOptions parse(String options) {
        UserOptions parsed = new UserOptions();
        if (options == null || options.trim().isEmpty()) {
            return parsed;
        }
        parsed.guardingAsked = asksForGuarding(options);
        Set<String> seen = new HashSet<String>();
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
            if (!seen.add(key)) {
                return parsed.fail("option '" + key + "' is given twice");
            }
            OptionKey known = OptionKey.fromKey(key);
            if (known == null) {
                return parsed.fail("unknown option '" + key + "' (known: " + USAGE + ")");
            }
            String problem = parsed.apply(known, item.substring(eq + 1).trim());
            if (problem != null) {
                return parsed.fail(problem);
            }
        }
        return parsed;
    }

    /** Options that could not be read at all (a malformed attach request): report mode, with the problem. */
    public static UserOptions invalid(String problem) {
        return new UserOptions().fail(problem);
    }

    /**
     * These options with {@code key} set to {@code value} (replacing any value it had), for the attach CLI.
     *
     * @throws IllegalArgumentException with the same message {@link #parse} gives for that item
     */
    public UserOptions with(OptionKey key, String value) {
        String v = value.trim();
        if (v.indexOf(',') >= 0) {
            throw new IllegalArgumentException(
                    "option " + key.key() + "=" + v + " holds ',', which separates options: give a value without it");
        }
        UserOptions changed = copy();
        String problem = changed.apply(key, v);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (key == OptionKey.MODE && changed.mode != Mode.REPORT) {
            changed.guardingAsked = true;
        }
        return changed;
    }

    /** The option string that {@link #parse} reads back as these options: given keys only, in usage order. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        for (OptionKey k : OptionKey.values()) {
            String v = given(k);
            if (v != null) {
                b.append(b.length() == 0 ? "" : ",").append(k.key()).append('=').append(v);
            }
        }
        return b.toString();
    }

    /** The value given for {@code key} as {@link #encode} writes it, or null when it was not given. */
    public String given(OptionKey key) {
        switch (key) {
            case MODE:
                return mode == null ? null : mode.label();
            case MIN:
                return min == null ? null : min.label();
            case REWRITE:
                return rewrite == null ? null : rewrite.label();
            case REPORT:
                return report;
            case CACHE:
                return cache;
            case OTLP:
                return otlp;
            case SERVICE:
                return service;
            default:
                throw new AssertionError(key);
        }
    }

    /**
     * Whether any "mode=" in the string, wherever it stands, asks for something other than report. Known
     * before anything can fail, so that a bad option string still fails closed when it asked for guarding
     * ("mode=enforce,mode=report" or "mode=enforce,command=status" must not run unguarded); when in doubt,
     * closed.
     */
    private static boolean asksForGuarding(String options) {
        String key = OptionKey.MODE.key() + "=";
        for (int at = options.indexOf(key); at >= 0; at = options.indexOf(key, at + 1)) {
            int end = at + key.length();
            while (end < options.length() && options.charAt(end) != ',' && options.charAt(end) != ';') {
                end++;
            }
            if (!options.substring(at + key.length(), end).trim().equalsIgnoreCase(Mode.REPORT.label())) {
                return true;
            }
        }
        return false;
    }

    /** Sets one option; null when done, else the problem. */
    private String apply(OptionKey key, String value) {
        switch (key) {
            case MODE:
                mode = Mode.fromLabel(value);
                return mode != null ? null : "option mode=" + value + " is not one of report, enforce, deny";
            case MIN:
                min = MinProtocol.fromLabel(value);
                return min != null ? null : "option min=" + value + " is not one of TLSv1.2, TLSv1.3";
            case REWRITE:
                rewrite = Rewrite.fromLabel(value);
                return rewrite != null ? null : "option rewrite=" + value + " is not one of floor, floor-and-above";
            case REPORT:
                report = value.isEmpty() ? null : value;
                return report != null ? null : "option report= needs a path (or stderr)";
            case CACHE:
                cache = value.isEmpty() ? null : value;
                return cache != null ? null : "option cache= needs a directory (or off)";
            case OTLP:
                otlp = value;
                return otlpProblem(value);
            case SERVICE:
                service = value.isEmpty() ? null : value;
                return serviceProblem(value);
            default:
                throw new AssertionError(key);
        }
    }

    /** An OTLP/HTTP endpoint: an http or https URL with a host (no query), or "env" (the OTEL_EXPORTER_OTLP_* variables). */
    private static String otlpProblem(String value) {
        if (value.equals("env")) {
            return null;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return "option otlp=" + value + " is not an http:// or https:// URL (or env)";
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return "option otlp=" + value + " needs a host, and no query or fragment";
            }
        } catch (java.net.URISyntaxException e) {
            return "option otlp=" + value + " is not a URL: " + e.getReason();
        }
        return null;
    }

    /** The longest service name, the bound tlsguard keeps for OTEL_RESOURCE_ATTRIBUTES values too. */
    public static final int MAX_SERVICE_LENGTH = 256;

    /** Null when {@code value} is a usable service name: printable, no ',' or '=', at most 256 characters. */
    private static String serviceProblem(String value) {
        if (value.isEmpty()) {
            return "option service= needs a name";
        }
        if (value.length() > MAX_SERVICE_LENGTH) {
            return "option service= is longer than " + MAX_SERVICE_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == ',' || c == '=') {
                return "option service= may hold printable characters only, without ',' or '='";
            }
        }
        return null;
    }

    private UserOptions fail(String problem) {
        this.error = problem;
        return this;
    }

    /** One line naming what is wrong, or null. */
    public String error() {
        return error;
    }

    /**
     * Whether a bad option string must stop the JVM: the user asked for enforce or deny (or we cannot
     * tell what they asked for), and running unprotected would be a silent downgrade. Fail closed.
     */
    public boolean failsClosed() {
        return guardingAsked;
    }

    /** The mode given, else report. */
    public Mode mode() {
        return mode == null ? Mode.REPORT : mode;
    }

    /** The floor given, else TLSv1.2. */
    public MinProtocol min() {
        return min == null ? MinProtocol.TLS_1_2 : min;
    }

    /** What enforce makes of a legacy-only pin: as given, else the floor itself. */
    public Rewrite rewrite() {
        return rewrite == null ? Rewrite.FLOOR : rewrite;
    }

    /** The report path as given (may hold %p), "stderr", "none" (no file), or null for the default file. */
    public String report() {
        return report;
    }

    /** The OTLP collector: a base URL (http or https, /v1/logs is appended), "env", or null (no export). */
    public String otlp() {
        return otlp;
    }

    /** The service.name the report's lines carry, as given; null: from the environment or the program. */
    public String service() {
        return service;
    }

    /** Where transformed JDK classes are kept between runs: null (the default place), "off", or a directory. */
    public String cache() {
        return cache;
    }
}
