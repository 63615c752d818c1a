package io.aigateway.contracts.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental Server-Sent Events parser (WHATWG rules that matter here): feed it the bytes of a stream as
 * they arrive, in any split; it returns the complete events so far. Comment lines ({@code :}) are
 * reported separately so callers can tell keep-alives from content. Not thread-safe: one per stream.
 */
public final class SseParser {

    /** One dispatched event; {@code event} is null for the default ("message") type. */
    public record Event(String event, String data) {
        public boolean named(String name) {
            return name.equals(event);
        }
    }

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private String eventName;
    private boolean hasData;
    private boolean lastWasCr;
    private int comments;

    /** Feeds bytes; returns events completed by them (possibly none). */
    public List<Event> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    public List<Event> feed(byte[] bytes, int offset, int length) {
        List<Event> out = null;
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                Event e = endOfLine();
                if (e != null) {
                    if (out == null) {
                        out = new ArrayList<>(2);
                    }
                    out.add(e);
                }
            } else {
                line.write(b);
            }
        }
        return out == null ? List.of() : out;
    }

    /** Flushes a final event not followed by a blank line (lenient end of stream). */
    public List<Event> finish() {
        List<Event> out = new ArrayList<>(1);
        if (line.size() > 0) {
            Event e = endOfLine();
            if (e != null) {
                out.add(e);
            }
        }
        Event e = endOfLine();
        if (e != null) {
            out.add(e);
        }
        return out;
    }

    /** Number of comment lines seen so far (e.g. {@code : keep-alive}). */
    public int comments() {
        return comments;
    }

    private Event endOfLine() {
        if (line.size() == 0) {
            if (!hasData) {
                eventName = null;
                return null;
            }
            Event e = new Event(eventName, data.toString());
            data.setLength(0);
            hasData = false;
            eventName = null;
            return e;
        }
        String l = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (l.charAt(0) == ':') {
            comments++;
            return null;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> eventName = value;
            default -> {
                // id, retry and unknown fields carry nothing the gateway needs
            }
        }
        return null;
    }

    /** Renders one event in SSE form: {@code event: name\ndata: ...\n\n} (name optional). */
    public static String format(String event, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (event != null) {
            sb.append("event: ").append(event).append('\n');
        }
        for (String part : data.split("\n", -1)) {
            sb.append("data: ").append(part).append('\n');
        }
        return sb.append('\n').toString();
    }
}
