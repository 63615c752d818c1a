package io.aigateway.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy's operations against a line echo server. */
class TcpProxyTest {

    /** How long a read waits before a silent connection counts as "never answered" (a hang can only be seen so). */
    private static final int SILENCE_MS = 300;

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> serve(s), "echo-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = new TcpProxy("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private static void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException ignored) {
            // client gone
        }
    }

    private final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        Client() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
            socket.setSoTimeout(5_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return in.readLine();
        }

        /** True when the proxy closed this connection (end of stream or reset). */
        boolean closedByProxy() throws IOException {
            try {
                socket.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
                return in.readLine() == null;
            } catch (SocketException e) {
                return true;
            }
        }

        /** True when a question gets neither an answer nor a close within {@link #SILENCE_MS}. */
        boolean silent() throws IOException {
            socket.setSoTimeout(SILENCE_MS);
            try {
                ask("anyone?");
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            } catch (SocketException e) {
                return false;
            } finally {
                socket.setSoTimeout(5_000);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Client c = new Client()) {
            assertEquals("hello", c.ask("hello"));
            assertEquals("again", c.ask("again"));
        }
    }

    @Test
    void cutRefusesUntilResumedOnTheSamePort() throws IOException {
        int port = proxy.port();
        try (Client c = new Client()) {
            assertEquals("a", c.ask("a"));
            proxy.cut();
            assertTrue(c.closedByProxy(), "open connection closed");
        }
        assertThrows(ConnectException.class, Client::new);
        proxy.resume();
        assertEquals(port, proxy.port());
        try (Client c = new Client()) {
            assertEquals("b", c.ask("b"));
        }
    }

    @Test
    void hangKeepsConnectionsOpenButAnswersNothing() throws IOException {
        try (Client open = new Client()) {
            assertEquals("a", open.ask("a"));
            proxy.hang();
            assertTrue(open.silent(), "open connection never answered");
            try (Client late = new Client()) {
                assertTrue(late.silent(), "new connection accepted, never answered");
            }
            proxy.resume();
            assertTrue(open.closedByProxy(), "hung connection dropped on resume");
        }
        try (Client c = new Client()) {
            assertEquals("b", c.ask("b"));
        }
    }

    @Test
    void blackholeDropsOpenConnectionsAndSwallowsNewOnes() throws IOException {
        try (Client open = new Client()) {
            assertEquals("a", open.ask("a"));
            proxy.blackhole();
            assertTrue(open.closedByProxy(), "open connection closed");
        }
        try (Client late = new Client()) {
            assertTrue(late.silent(), "new connection accepted, never answered");
        }
        proxy.resume();
        try (Client c = new Client()) {
            assertEquals("b", c.ask("b"));
        }
    }

    @Test
    void closeConnectionsDropsOpenOnesAndKeepsForwarding() throws IOException {
        try (Client open = new Client()) {
            assertEquals("a", open.ask("a"));
            proxy.closeConnections();
            assertTrue(open.closedByProxy(), "open connection closed");
        }
        try (Client c = new Client()) {
            assertEquals("b", c.ask("b"));
        }
    }
}
