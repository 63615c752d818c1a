package io.aigateway.contracts;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.text.LogSafe;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSafeTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String s = "gpt-4o-mini/äöü 日本語 🙂";
        String plain = "gpt-4o-mini";
        assertSame(plain, LogSafe.escape(plain));
        assertEquals(s, LogSafe.escape(s));
        assertEquals("null", LogSafe.escape((String) null));
    }

    @Test
    void lineBreakingAndDisguisingCharactersBecomeVisibleEscapes() {
        assertEquals("a\\u000D\\u000A2025-01-01 INFO forged", LogSafe.escape("a\r\n2025-01-01 INFO forged"));
        assertEquals("x\\u0000y\\u007Fz\\u0085", LogSafe.escape("x\u0000y\u007Fz\u0085"));
        assertEquals("\\u2028\\u2029", LogSafe.escape("\u2028\u2029"));
        // bidi override and zero-width space (format characters), unpaired surrogate
        assertEquals("evil\\u202Etxt.exe\\u200B", LogSafe.escape("evil\u202Etxt.exe\u200B"));
        assertEquals("\\uD800x", LogSafe.escape("\uD800x"));
        // a backslash is escaped, so that a backslash-u sequence typed by a client cannot pass for an escaped newline
        assertEquals("\\\\u000A", LogSafe.escape("\\u000A"));
        assertFalse(LogSafe.escape("a\nb\rc\u2028d").matches("(?s).*[\\n\\r\\u2028].*"));
    }

    @Test
    void longTextIsCutWithoutSplittingASurrogatePair() {
        String big = "m".repeat(10_000);
        String cut = LogSafe.escape(big);
        assertEquals("m".repeat(LogSafe.LOG_MAX) + "…(+" + (10_000 - LogSafe.LOG_MAX) + " chars)", cut);
        assertEquals("m".repeat(64) + "…(+9936 chars)", LogSafe.echo(big));
        // the pair at positions 2-3 is not split at max 3
        assertEquals("ab…(+3 chars)", LogSafe.escape("ab🙂c", 3));
        assertEquals("ab🙂…(+1 chars)", LogSafe.escape("ab🙂c", 4));
    }

    @Test
    void controlCharactersOfIdentifiers() {
        assertEquals(-1, LogSafe.indexOfControl("model-1 ä"));
        assertEquals(1, LogSafe.indexOfControl("m\u0000"));
        assertEquals(0, LogSafe.indexOfControl("\u2029"));
        assertEquals(2, LogSafe.indexOfControl("ab\u009F"));
        assertTrue(LogSafe.isControl('\u007F'));
        assertFalse(LogSafe.isControl(' '));
        assertEquals("U+000A", LogSafe.codePoint('\n'));
    }

    @Test
    void modelNotFoundDoesNotEchoAHugeOrForgedName() {
        String message = ApiError.modelNotFound("x\n".repeat(5000)).message();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.length() < 2000, "length " + message.length());
    }
}
