package io.aigateway.routing.chat;

import java.util.List;

/**
 * The {@code x-aigw-attempt-log} header (routing → edge only, see {@code AigwHeaders#ATTEMPT_LOG}): every try as
 * {@code [{"provider","model","outcome":"success|error","errorClass","latencyMs"}]}, at most {@link #MAX} entries,
 * printable ASCII only so that it is always a valid header value.
 */
public final class AttemptLog {

    static final int MAX = 16;

    private AttemptLog() {
    }

    public static String header(List<AttemptRecord> attempts) {
        StringBuilder sb = new StringBuilder(2 + attempts.size() * 96).append('[');
        int n = Math.min(MAX, attempts.size());
        for (int i = 0; i < n; i++) {
            AttemptRecord a = attempts.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"provider\":");
            string(sb, a.candidate().providerId());
            sb.append(",\"model\":");
            string(sb, a.candidate().modelId());
            sb.append(",\"outcome\":\"").append(a.errorName() == null ? "success" : "error").append('"');
            sb.append(",\"errorClass\":");
            string(sb, a.errorName());
            sb.append(",\"latencyMs\":").append(Math.max(0, a.latencyMs())).append('}');
        }
        return sb.append(']').toString();
    }

    private static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
