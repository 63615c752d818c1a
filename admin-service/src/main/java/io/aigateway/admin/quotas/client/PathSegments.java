package io.aigateway.admin.quotas.client;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes one path segment in the single spelling usage-service's {@code RawPathGuard} accepts: the
 * unreserved characters {@code A-Z a-z 0-9 - . _ ~} stay as they are (an escape of one of them is refused there
 * as non-canonical), every other UTF-8 byte becomes {@code %XX}. So a user id such as {@code a@b.c:d} reaches
 * usage-service as {@code a%40b.c%3Ad}, and no id can add a segment ({@code /}), a query ({@code ?}) or a fragment.
 */
public final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    public static String encode(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
