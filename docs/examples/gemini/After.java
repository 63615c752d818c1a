// After: the same calls through the AI Gateway's OpenAI-compatible API (java.net.http, no dependencies).
// Run: java After.java   Env: AIGW_API_KEY (required), AIGW_BASE_URL (default http://127.0.0.1:8080/v1),
//      AIGW_MODEL (default gemini/gemini-2.0-flash: provider "gemini", model "gemini-2.0-flash").
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class After {

    static final String BASE = env("AIGW_BASE_URL", "http://127.0.0.1:8080/v1");
    static final String MODEL = env("AIGW_MODEL", "gemini/gemini-2.0-flash");
    static final String KEY = System.getenv("AIGW_API_KEY");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        // systemInstruction -> a "system" message, role "model" -> "assistant",
        // generationConfig.temperature / maxOutputTokens -> temperature / max_tokens
        String messages = """
                [{"role": "system", "content": "You are a concise editor."},
                 {"role": "user", "content": "Suggest a title for a post about API gateways."},
                 {"role": "assistant", "content": "Gateways, explained."},
                 {"role": "user", "content": "Shorter, please."}]""";
        String body = "{\"model\": \"" + MODEL + "\", \"messages\": " + messages
                + ", \"temperature\": 0.2, \"max_tokens\": 64}";

        // One answer: POST /v1/chat/completions
        HttpResponse<String> r = HTTP.send(request(body, false), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            // the gateway's errors: {"error":{"message":"...","type":"...","param":null,"code":"rate_limit_exceeded"}}
            throw new IllegalStateException("the gateway answered " + r.statusCode() + " (request "
                    + r.headers().firstValue("x-request-id").orElse("?") + "): " + r.body());
        }
        Map<?, ?> answer = (Map<?, ?>) Json.parse(r.body());
        Map<?, ?> choice = (Map<?, ?>) ((List<?>) answer.get("choices")).get(0);
        Map<?, ?> usage = (Map<?, ?>) answer.get("usage");
        System.out.println("text: " + ((Map<?, ?>) choice.get("message")).get("content"));
        System.out.println("finish: " + choice.get("finish_reason"));
        System.out.println("usage: prompt=" + usage.get("prompt_tokens") + " completion="
                + usage.get("completion_tokens") + " total=" + usage.get("total_tokens"));
        System.out.println("provider: " + r.headers().firstValue("x-aigw-provider").orElse("?")
                + " model: " + r.headers().firstValue("x-aigw-model").orElse("?"));

        // A streamed answer: "stream": true, SSE "data:" lines, the usage in the last chunk, then "data: [DONE]"
        String streamBody = "{\"model\": \"" + MODEL + "\", \"stream\": true, "
                + "\"stream_options\": {\"include_usage\": true}, \"messages\": " + messages + "}";
        HttpResponse<java.util.stream.Stream<String>> s = HTTP.send(request(streamBody, true),
                HttpResponse.BodyHandlers.ofLines());
        if (s.statusCode() != 200) {
            throw new IllegalStateException("the gateway answered " + s.statusCode());
        }
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        Map<?, ?> streamUsage = null;
        for (String line : (Iterable<String>) s.body()::iterator) {
            if (!line.startsWith("data:") || line.substring(5).trim().equals("[DONE]")) {
                continue;
            }
            Map<?, ?> chunk = (Map<?, ?>) Json.parse(line.substring(5));
            if (chunk.get("error") != null) {
                // a failure after the first token: an error chunk ends the stream
                throw new IllegalStateException("stream failed: " + chunk.get("error"));
            }
            chunks++;
            for (Object c : (List<?>) chunk.get("choices")) {
                Object content = ((Map<?, ?>) ((Map<?, ?>) c).get("delta")).get("content");
                if (content instanceof String t) {
                    text.append(t);
                }
            }
            if (chunk.get("usage") instanceof Map<?, ?> u) {
                streamUsage = u;
            }
        }
        System.out.println("stream: " + chunks + " chunks: " + text);
        System.out.println("stream usage: prompt=" + streamUsage.get("prompt_tokens") + " completion="
                + streamUsage.get("completion_tokens"));
    }

    static HttpRequest request(String body, boolean stream) {
        return HttpRequest.newBuilder(URI.create(BASE + "/chat/completions"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
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
