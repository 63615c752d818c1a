package io.aigateway.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a PromQL parser: it removes what cannot be a metric name (string
 * literals, label matchers in braces, durations in brackets, the label lists of {@code by}/{@code without}/
 * {@code on}/{@code ignoring}/{@code group_left}/{@code group_right}, Grafana variables) and keeps every identifier
 * that is neither a function call nor a keyword. Good enough for the expressions of our rules and dashboards, which a
 * unit test pins ({@code PromQlNamesTest}).
 */
final class PromQlNames {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NUMBERS = Pattern.compile("\\b\\d[\\d.eE+-]*[a-z]*\\b");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    private PromQlNames() {
    }

    static Set<String> metrics(String expr) {
        String s = VARIABLES.matcher(expr).replaceAll(" ");
        s = STRINGS.matcher(s).replaceAll(" ");
        s = BRACES.matcher(s).replaceAll(" ");
        s = BRACKETS.matcher(s).replaceAll(" ");
        s = LABEL_LISTS.matcher(s).replaceAll(" ");
        s = NUMBERS.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int i = m.end();
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            boolean call = i < s.length() && s.charAt(i) == '(';
            if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }
}
