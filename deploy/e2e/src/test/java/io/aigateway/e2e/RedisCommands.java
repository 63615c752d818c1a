package io.aigateway.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the Redis protocol (RESP2) for tests to look at and remove their own keys in the stack's Redis: the
 * end-to-end module deliberately has no Redis client library (it talks to the stack only as a client would, apart
 * from these checks).
 */
final class RedisCommands implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RedisCommands(String redisUrl) throws IOException {
        URI uri = URI.create(redisUrl);
        socket = new Socket(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "0" : uri.getPath().substring(1);
        call("SELECT", db);
    }

    /** Runs one command; the reply as String, Long, List (arrays) or null. */
    Object call(String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    /** Deletes every key matching {@code pattern} (KEYS: test data only, never a production Redis). */
    long deleteMatching(String pattern) throws IOException {
        Object n = call("EVAL", "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do "
                + "n = n + redis.call('DEL', k) end return n", "0", pattern);
        return (Long) n;
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IOException("redis: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(len + 2);
                yield new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("redis: unexpected reply type " + type);
        };
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis: connection closed");
            }
            b.append((char) c);
        }
        in.read(); // \n
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
