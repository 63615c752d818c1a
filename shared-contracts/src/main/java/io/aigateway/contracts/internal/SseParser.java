package io.aigateway.contracts.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    private byte[] line = new byte[256];
    private int lineLength;
    /** The data of the event being read: the first line as is, further lines joined in {@code moreData}. */
    private String firstData;
    private StringBuilder moreData;
    private String eventName;
    private boolean lastWasCr;
    private int comments;

    /** Feeds bytes; returns events completed by them (possibly none). */
    public List<Event> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /**
     * Feeds bytes; returns events completed by them (possibly none). Scans for line ends and copies each line's
     * bytes once (this runs for every byte of every stream at three hops).
     */
    public List<Event> feed(byte[] bytes, int offset, int length) {
        List<Event> out = null;
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (lastWasCr) {
                lastWasCr = false;
                if (bytes[i] == '\n') { // CRLF: one line end
                    i++;
                    continue;
                }
            }
            int j = i;
            while (j < end && bytes[j] != '\n' && bytes[j] != '\r') {
                j++;
            }
            append(bytes, i, j - i);
            if (j == end) {
                break;
            }
            lastWasCr = bytes[j] == '\r';
            Event e = endOfLine();
            if (e != null) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(e);
            }
            i = j + 1;
        }
        return out == null ? List.of() : out;
    }

    /** Flushes a final event not followed by a blank line (lenient end of stream). */
    public List<Event> finish() {
        List<Event> out = new ArrayList<>(1);
        if (lineLength > 0) {
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

    private void append(byte[] bytes, int from, int n) {
        if (n == 0) {
            return;
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(bytes, from, line, lineLength, n);
        lineLength += n;
    }

    private Event endOfLine() {
        if (lineLength == 0) {
            if (firstData == null) {
                eventName = null;
                return null;
            }
            Event e = new Event(eventName, moreData == null ? firstData : moreData.toString());
            firstData = null;
            moreData = null;
            eventName = null;
            return e;
        }
        int n = lineLength;
        lineLength = 0;
        if (line[0] == ':') {
            comments++;
            return null;
        }
        // ':' is ASCII, never part of a multi-byte UTF-8 sequence: the field ends at the first colon byte
        int colon = 0;
        while (colon < n && line[colon] != ':') {
            colon++;
        }
        int valueFrom = colon < n ? colon + 1 : n;
        if (valueFrom < n && line[valueFrom] == ' ') {
            valueFrom++;
        }
        if (is("data", colon)) {
            String value = new String(line, valueFrom, n - valueFrom, StandardCharsets.UTF_8);
            if (firstData == null) {
                firstData = value;
            } else {
                if (moreData == null) {
                    moreData = new StringBuilder(firstData.length() * 2 + 16).append(firstData);
                }
                moreData.append('\n').append(value);
            }
        } else if (is("event", colon)) {
            eventName = new String(line, valueFrom, n - valueFrom, StandardCharsets.UTF_8);
        }
        // id, retry and unknown fields carry nothing the gateway needs
        return null;
    }

    /** Whether the line's field (its first {@code fieldLength} bytes) is {@code name}. */
    private boolean is(String name, int fieldLength) {
        if (fieldLength != name.length()) {
            return false;
        }
        for (int k = 0; k < fieldLength; k++) {
            if (line[k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
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
