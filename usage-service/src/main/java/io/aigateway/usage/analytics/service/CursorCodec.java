package io.aigateway.usage.analytics.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The opaque analytics cursor: the group key of the last row of a page (one string per groupBy field, in groupBy
 * order) and the groupBy it belongs to, so a cursor used with another grouping is refused. Encoded as base64url of
 * {@code v1|<groupBy params joined by ','>|<len>:<value>...}.
 */
public final class CursorCodec {

    private static final String VERSION = "v1";
    private static final int MAX_LENGTH = 16 * 1024;

    private CursorCodec() {
    }

    public static String encode(List<GroupBy> groupBy, List<String> key) {
        StringBuilder b = new StringBuilder(VERSION).append('|').append(signature(groupBy)).append('|');
        for (String k : key) {
            b.append(k.length()).append(':').append(k);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The key, or empty when the cursor is malformed or was made for another groupBy. */
    public static Optional<List<String>> decode(List<GroupBy> groupBy, String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String prefix = VERSION + '|' + signature(groupBy) + '|';
        if (!text.startsWith(prefix)) {
            return Optional.empty();
        }
        List<String> key = new ArrayList<>(groupBy.size());
        int i = prefix.length();
        while (i < text.length()) {
            int colon = text.indexOf(':', i);
            if (colon < 0 || colon == i || colon - i > 6) {
                return Optional.empty();
            }
            int len;
            try {
                len = Integer.parseInt(text.substring(i, colon));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (len < 0 || colon + 1 + len > text.length()) {
                return Optional.empty();
            }
            key.add(text.substring(colon + 1, colon + 1 + len));
            i = colon + 1 + len;
        }
        return key.size() == groupBy.size() && !groupBy.isEmpty() ? Optional.of(key) : Optional.empty();
    }

    private static String signature(List<GroupBy> groupBy) {
        StringBuilder b = new StringBuilder();
        for (GroupBy g : groupBy) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(g.param());
        }
        return b.toString();
    }
}
