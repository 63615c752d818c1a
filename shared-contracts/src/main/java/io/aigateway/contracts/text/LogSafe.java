package io.aigateway.contracts.text;

/**
 * Makes client-supplied text safe to put into a log line or to echo in an error message: every character that
 * could break or disguise a line (C0 and C1 controls, DEL, U+2028/U+2029, Unicode format characters such as
 * bidi overrides and zero-width spaces, unpaired surrogates) becomes a visible {@code &#92;uXXXX}, a backslash
 * becomes {@code \\} (so an escape sequence in the output always means an escaped character), and the text is
 * cut to a maximum length (counted in characters of the input, never splitting a surrogate pair) with the
 * number of characters left out appended.
 *
 * <p>Every service uses this one helper for request IDs, model names, user ids, headers and exception messages
 * that may carry client text.
 */
public final class LogSafe {

    /** Default length for log lines. */
    public static final int LOG_MAX = 256;
    /** Default length for client values echoed in error messages. */
    public static final int ECHO_MAX = 64;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LogSafe() {
    }

    /** {@link #escape(String, int)} with {@link #LOG_MAX}. */
    public static String escape(String s) {
        return escape(s, LOG_MAX);
    }

    /** {@code String.valueOf(o)} escaped with {@link #LOG_MAX} (for exceptions and other objects). */
    public static String escape(Object o) {
        return escape(String.valueOf(o), LOG_MAX);
    }

    /** A client value as it may appear in an error message: escaped, at most {@link #ECHO_MAX} characters. */
    public static String echo(String s) {
        return escape(s, ECHO_MAX);
    }

    /**
     * @param s   the text; null gives {@code "null"}
     * @param max the most characters of {@code s} kept (at least 1)
     */
    public static String escape(String s, int max) {
        if (s == null) {
            return "null";
        }
        int limit = Math.max(1, max);
        int n = s.length();
        int end = Math.min(n, limit);
        if (end < n && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))
                && Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        if (end == n && isClean(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                if (Character.getType(cp) == Character.FORMAT) {
                    unicodeEscape(out, c);
                    unicodeEscape(out, s.charAt(i + 1));
                } else {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (unsafe(c)) {
                unicodeEscape(out, c);
            } else {
                out.append(c);
            }
        }
        if (end < n) {
            out.append("…(+").append(n - end).append(" chars)");
        }
        return out.toString();
    }

    /**
     * Whether {@code c} is a control character an identifier must not contain: C0 controls (U+0000–U+001F),
     * DEL (U+007F), C1 controls (U+0080–U+009F, among them NEL) and the Unicode line and paragraph separators
     * (U+2028, U+2029).
     */
    public static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    /** Index of the first {@link #isControl control character} in {@code s}, or -1. */
    public static int indexOfControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code U+XXXX} of a character, for messages. */
    public static String codePoint(char c) {
        return "U+" + HEX[(c >> 12) & 0xF] + HEX[(c >> 8) & 0xF] + HEX[(c >> 4) & 0xF] + HEX[c & 0xF];
    }

    private static boolean isClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || unsafe(c) || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(char c) {
        return isControl(c) || Character.isSurrogate(c) || Character.getType(c) == Character.FORMAT;
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
