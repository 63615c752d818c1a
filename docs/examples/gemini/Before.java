// Before: the application calls Gemini's REST API directly (java.net.http, no dependencies).
// Run: java Before.java   Env: GEMINI_API_KEY (required), GEMINI_MODEL (default gemini-2.0-flash),
//      GEMINI_BASE_URL (default https://generativelanguage.googleapis.com).
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Before {

    static final String BASE = env("GEMINI_BASE_URL", "https://generativelanguage.googleapis.com");
    static final String MODEL = env("GEMINI_MODEL", "gemini-2.0-flash");
    static final String KEY = System.getenv("GEMINI_API_KEY");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        String body = """
                {"systemInstruction": {"parts": [{"text": "You are a concise editor."}]},
                 "contents": [
                   {"role": "user", "parts": [{"text": "Suggest a title for a post about API gateways."}]},
                   {"role": "model", "parts": [{"text": "Gateways, explained."}]},
                   {"role": "user", "parts": [{"text": "Shorter, please."}]}],
                 "generationConfig": {"temperature": 0.2, "maxOutputTokens": 64}}""";

        // One answer: POST /v1beta/models/{model}:generateContent
        HttpResponse<String> r = HTTP.send(request(":generateContent", body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            // Gemini's errors: {"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED"}}
            throw new IllegalStateException("Gemini answered " + r.statusCode() + ": " + r.body());
        }
        Map<?, ?> answer = (Map<?, ?>) Json.parse(r.body());
        Map<?, ?> candidate = (Map<?, ?>) ((List<?>) answer.get("candidates")).get(0);
        Map<?, ?> usage = (Map<?, ?>) answer.get("usageMetadata");
        System.out.println("text: " + text(candidate));
        System.out.println("finish: " + candidate.get("finishReason"));
        System.out.println("usage: prompt=" + usage.get("promptTokenCount") + " completion="
                + usage.get("candidatesTokenCount") + " total=" + usage.get("totalTokenCount"));

        // A streamed answer: :streamGenerateContent?alt=sse, one GenerateContentResponse per "data:" line
        HttpResponse<java.util.stream.Stream<String>> s = HTTP.send(
                request(":streamGenerateContent?alt=sse", body), HttpResponse.BodyHandlers.ofLines());
        if (s.statusCode() != 200) {
            throw new IllegalStateException("Gemini answered " + s.statusCode());
        }
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        Map<?, ?> lastUsage = null;
        for (String line : (Iterable<String>) s.body()::iterator) {
            if (!line.startsWith("data:")) {
                continue;
            }
            Map<?, ?> chunk = (Map<?, ?>) Json.parse(line.substring(5));
            chunks++;
            text.append(text((Map<?, ?>) ((List<?>) chunk.get("candidates")).get(0)));
            lastUsage = (Map<?, ?>) chunk.get("usageMetadata");
        }
        System.out.println("stream: " + chunks + " chunks: " + text);
        System.out.println("stream usage: prompt=" + lastUsage.get("promptTokenCount") + " completion="
                + lastUsage.get("candidatesTokenCount"));
    }

    static HttpRequest request(String method, String body) {
        return HttpRequest.newBuilder(URI.create(BASE + "/v1beta/models/" + MODEL + method))
                .header("x-goog-api-key", KEY)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** The text parts of a candidate's content. */
    static String text(Map<?, ?> candidate) {
        StringBuilder sb = new StringBuilder();
        Map<?, ?> content = (Map<?, ?>) candidate.get("content");
        if (content != null && content.get("parts") instanceof List<?> parts) {
            for (Object p : parts) {
                if (((Map<?, ?>) p).get("text") instanceof String t) {
                    sb.append(t);
                }
            }
        }
        return sb.toString();
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A minimal JSON reader (objects, arrays, strings, numbers, literals), so the example needs no library. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != j.s.length()) {
                throw new IllegalArgumentException("trailing characters at " + j.i);
            }
            return v;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                do {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') {
                    throw new IllegalArgumentException("expected } at " + (i - 1));
                }
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                do {
                    l.add(value());
                    ws();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') {
                    throw new IllegalArgumentException("expected ] at " + (i - 1));
                }
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            return n.matches("-?\\d+") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            for (char c = s.charAt(i++); c != '"'; c = s.charAt(i++)) {
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
