package io.aigateway.fake.text;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Deterministic fake generation and token counting, shared by every wire format.
 *
 * <ul>
 *   <li>prompt tokens = for each message: whitespace-separated words of its text + {@value #PER_MESSAGE_TOKENS};</li>
 *   <li>non-streamed completion tokens K = {@value #MIN_WORDS} + (seed mod {@value #WORD_SPREAD}), capped by
 *       max tokens; the answer has exactly K words;</li>
 *   <li>streamed completion tokens = number of content chunks (one word each).</li>
 * </ul>
 * The seed is the request's {@code seed} field, else a hash of its {@code X-Request-Id}, else random.
 */
public final class FakeText {

    public static final int PER_MESSAGE_TOKENS = 4;
    public static final int MIN_WORDS = 5;
    public static final int WORD_SPREAD = 20;

    private static final String[] VOCABULARY = {
        "the", "gateway", "answers", "quickly", "with", "a", "fake", "reply", "about", "tokens",
        "latency", "routing", "models", "and", "costs", "while", "streams", "flow", "through", "every",
        "hop", "of", "this", "small", "test", "provider", "which", "never", "thinks", "hard",
        "at", "all"
    };

    private FakeText() {
    }

    /** Seed for a request: explicit seed, else the request ID's hash, else random. */
    public static long seed(Long bodySeed, String requestId) {
        if (bodySeed != null) {
            return mix(bodySeed);
        }
        if (requestId != null && !requestId.isEmpty()) {
            return mix(requestId.hashCode() * 0x9E3779B97F4A7C15L + requestId.length());
        }
        return ThreadLocalRandom.current().nextLong();
    }

    /** Number of words (= completion tokens) of a non-streamed answer, before any max-tokens cap. */
    public static int naturalWords(long seed) {
        return MIN_WORDS + (int) Math.floorMod(seed, (long) WORD_SPREAD);
    }

    /** The i-th word (0-based) of the answer for this seed. */
    public static String word(long seed, int i) {
        return VOCABULARY[(int) (mix(seed + i) >>> 59)];
    }

    /** K words separated by single spaces. */
    public static String words(long seed, int count) {
        StringBuilder sb = new StringBuilder(count * 7);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(word(seed, i));
        }
        return sb.toString();
    }

    /** Whitespace-separated words in {@code text}. */
    public static int countWords(CharSequence text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                inWord = false;
            } else if (!inWord) {
                inWord = true;
                count++;
            }
        }
        return count;
    }

    /** SplitMix64 finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
