package io.aigateway.usage.analytics.service;

import java.util.List;

/** RFC 4180 lines: fields with a comma, quote, CR or LF are quoted, quotes doubled; lines end with CRLF. */
public final class Csv {

    private Csv() {
    }

    public static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    public static void appendLine(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }
}
