package io.aigateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request over a raw socket, for request-targets that HTTP clients would normalise before sending
 * ({@code /x/../y}, {@code %2e%2e}, {@code /Q/OPENAPI}, a trailing slash): the request line goes out as written.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The answer's status line, e.g. {@code HTTP/1.1 404 Not Found}. */
    public static String statusLine(URL base, String requestLine, Map<String, String> headers) throws IOException {
        return answer(base, requestLine, headers).lines().findFirst().orElse("");
    }

    /** The whole answer (status line, headers, body) as text. */
    public static String answer(URL base, String requestLine, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: ")
                    .append(base.getHost()).append("\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
