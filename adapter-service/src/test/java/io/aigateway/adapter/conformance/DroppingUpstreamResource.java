package io.aigateway.adapter.conformance;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A raw socket upstream for {@code fakeb}: answers 200 {@code text/event-stream}, sends one OpenAI chunk,
 * then resets the connection (what a provider crash mid-stream looks like). WireMock cannot do this.
 */
public class DroppingUpstreamResource implements QuarkusTestResourceLifecycleManager {

    static final String CHUNK = "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}],\"usage\":null}";

    private ServerSocket server;
    private Thread acceptor;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        acceptor = new Thread(this::acceptLoop, "dropping-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("aigw.providers.fakeb.base-url", "http://127.0.0.1:" + server.getLocalPort() + "/fakeb/v1",
                "aigw.providers.fakeb.timeouts.first-byte", "2s",
                "aigw.providers.fakeb.timeouts.between-chunks", "2s");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "dropping-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            readHeaders(in);
            OutputStream out = s.getOutputStream();
            byte[] data = ("data: " + CHUNK + "\n\n").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);
            s.setSoLinger(true, 0); // close with RST: connection reset mid-stream
        } catch (IOException | InterruptedException e) {
            // the test observes the outcome on the adapter side
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase();
        int i = headers.indexOf("content-length:");
        if (i >= 0) {
            int len = Integer.parseInt(headers.substring(i + 15, headers.indexOf('\r', i)).trim());
            in.readNBytes(len);
        }
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
