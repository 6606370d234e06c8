package io.tlsguard.compat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a sample client printed: {@code RESULT OK protocol cipher} / {@code RESULT FAIL Exception: message} (jsse-legacy:
 * {@code SCENARIO name OK|FAIL ...}); without such a line, the exception on stderr.
 */
record ClientOutcome(boolean worked, List<String> protocols, String detail) {
    static final String NO_RESULT = "no RESULT line";

    private static final Pattern RESULT = Pattern.compile("^(RESULT|SCENARIO \\S+) (OK|FAIL)( .*)?$");
    private static final Pattern EXCEPTION =
            Pattern.compile("^Exception in thread.*|^Caused by.*|.*java\\.[a-z.]+\\.[A-Za-z]+(Exception|Error).*");

    static ClientOutcome parse(String stdout, String stderr) {
        for (String line : stdout.lines().toList()) {
            var m = RESULT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(3) == null ? "" : m.group(3).trim();
            if (m.group(2).equals("OK")) {
                String[] words = rest.split(" ");
                return new ClientOutcome(true, List.of(words[0]), words.length > 1 ? words[1] : "");
            }
            return new ClientOutcome(false, List.of(), clean(rest));
        }
        List<String> errors = stderr.lines().toList();
        String cause = errors.stream()
                .filter(l -> EXCEPTION.matcher(l).matches())
                .findFirst()
                .orElse(errors.isEmpty() ? "" : errors.get(errors.size() - 1));
        return new ClientOutcome(false, List.of(), clean(NO_RESULT + " (exit/timeout); stderr: " + cause));
    }

    /** One line for a markdown table: no tabs or pipes, at most 400 characters. */
    static String clean(String text) {
        String flat = text.replace('\t', ' ').replace('|', ' ');
        return flat.length() > 400 ? flat.substring(0, 400) : flat;
    }
}
