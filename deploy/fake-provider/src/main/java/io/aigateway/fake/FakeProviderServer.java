package io.aigateway.fake;

import io.aigateway.fake.control.ControlState;
import io.aigateway.fake.anthropic.AnthropicFormat;
import io.aigateway.fake.gemini.GeminiFormat;
import io.aigateway.fake.ollama.OllamaFormat;
import io.aigateway.fake.tgi.TgiFormat;
import io.aigateway.fake.openai.OpenAiFormat;
import io.aigateway.fake.server.Dispatcher;
import io.aigateway.fake.server.Faults;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fake provider: one Vert.x HTTP server per event loop, all sharing the same port, the same control state and
 * the same dispatcher. Usable in-process (tests) and from {@link FakeProviderMain}.
 */
public final class FakeProviderServer implements AutoCloseable {

    private final Vertx vertx;
    private final ControlState state = new ControlState();
    private final Dispatcher dispatcher;
    private final int eventLoops;
    private volatile int port = -1;
    private volatile int boundPort = -1;

    public FakeProviderServer(int eventLoops) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be >= 1");
        }
        this.eventLoops = eventLoops;
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(false)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        Faults faults = new Faults(vertx);
        this.dispatcher = new Dispatcher(state, List.of(new OpenAiFormat(faults), new OllamaFormat(faults),
                new AnthropicFormat(faults), new TgiFormat(faults), new GeminiFormat(faults)));
    }

    /**
     * Starts listening on {@code requestedPort} (0 = a free port) and returns the actual port. All event loops
     * share the port (Vert.x binds it once and balances connections between the servers); with port 0 and several
     * event loops a free port is picked first (retried if another process takes it in between).
     */
    public int start(String host, int requestedPort) throws Exception {
        int attempts = requestedPort == 0 && eventLoops > 1 ? 5 : 1;
        for (int attempt = 1; ; attempt++) {
            int listenPort = requestedPort == 0 && eventLoops > 1 ? freePort(host) : requestedPort;
            CompletableFuture<Integer> started = new CompletableFuture<>();
            vertx.deployVerticle(() -> new ServerVerticle(host, listenPort),
                         new DeploymentOptions().setInstances(eventLoops))
                 .onSuccess(id -> started.complete(boundPort))
                 .onFailure(started::completeExceptionally);
            try {
                port = started.get(30, TimeUnit.SECONDS);
                return port;
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public ControlState state() {
        return state;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private final class ServerVerticle extends AbstractVerticle {
        private final String host;
        private final int port;

        ServerVerticle(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public void start(Promise<Void> startPromise) {
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setTcpNoDelay(true)
                    .setReuseAddress(true)
                    .setIdleTimeout(0)
                    .setHandle100ContinueAutomatically(true)
                    .setMaxInitialLineLength(8192)
                    .setMaxHeaderSize(64 * 1024);
            HttpServer server = vertx.createHttpServer(options).requestHandler(dispatcher);
            server.listen().onSuccess(s -> {
                boundPort = s.actualPort();
                startPromise.complete();
            }).onFailure(startPromise::fail);
        }
    }
}
