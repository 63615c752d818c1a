package io.aigateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a loopback port in front of a real server (PostgreSQL, Redis, a service), so a test can
 * stage an outage without touching that server:
 * <ul>
 *   <li>{@link #cut()}: the listener and every connection are closed, new connections are refused (server down);</li>
 *   <li>{@link #hang()}: connections stay open and new ones are accepted, but nothing is forwarded any more (a server
 *       that stopped answering);</li>
 *   <li>{@link #blackhole()}: the open connections are closed, new ones are accepted and never answered (a hung
 *       server that clients reconnect to);</li>
 *   <li>{@link #closeConnections()}: the open connections are closed (both sides), the proxy keeps listening and
 *       forwarding (what a client sees when the server closes its idle pooled connections);</li>
 *   <li>{@link #resume()}: forwarding again, on the same port.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile Thread acceptor;
    private volatile boolean hanging;
    private volatile boolean closed;

    /** Starts listening on a free loopback port and forwarding every connection to {@code targetHost:targetPort}. */
    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = listen(0);
    }

    /** The loopback port clients connect to; the same after {@link #resume()}. */
    public int port() {
        return port;
    }

    /** Closes the listener and every open connection: new connections are refused until {@link #resume()}. */
    public synchronized void cut() {
        closeQuietly(server);
        awaitAcceptorEnd();
        closeConnections();
    }

    /**
     * Waits until the accepting thread has left {@code accept()}. Closing a ServerSocket that a thread is blocked in
     * only signals that thread: the kernel keeps the listening socket (and completes new connections into its
     * backlog) until the thread has left the system call, so without this wait a connection made right after
     * {@link #cut()} could still be accepted (seen on a loaded machine).
     */
    private void awaitAcceptorEnd() {
        Thread t = acceptor;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps every connection open and accepts new ones, but forwards nothing until {@link #resume()}. */
    public synchronized void hang() {
        hanging = true;
    }

    /** Closes the open connections, then accepts new ones and never answers them, until {@link #resume()}. */
    public synchronized void blackhole() {
        hanging = true;
        closeConnections();
    }

    /** Closes every open connection, client and server side; new connections are accepted and forwarded as before. */
    public synchronized void closeConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /**
     * Forwards again: after {@link #cut()} listens again on the same port; after {@link #hang()} or
     * {@link #blackhole()} drops the connections that were held (their protocol state is lost).
     */
    public synchronized void resume() {
        if (closed) {
            throw new IllegalStateException("proxy closed");
        }
        if (hanging) {
            hanging = false;
            closeConnections();
        }
        if (server.isClosed()) {
            try {
                listen(port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
    }

    private synchronized int listen(int wantedPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 50);
        server = s;
        int bound = s.getLocalPort();
        Thread t = new Thread(() -> acceptLoop(s), "tcp-proxy-accept-" + bound);
        t.setDaemon(true);
        acceptor = t;
        t.start();
        return bound;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // listener closed
            }
            if (hanging) {
                sockets.add(client); // held open, never answered
                continue;
            }
            Socket upstream;
            try {
                upstream = new Socket(targetHost, targetPort);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            if (s.isClosed()) { // cut while this connection was being set up
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (hanging) {
                        continue; // swallowed: the peer waits for an answer that never comes
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection closed, cut or dropped
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
