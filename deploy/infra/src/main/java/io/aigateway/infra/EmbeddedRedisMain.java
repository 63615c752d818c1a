package io.aigateway.infra;

import java.util.concurrent.CountDownLatch;

import redis.embedded.RedisServer;

/**
 * A real redis-server (binary shipped in a Maven jar) for machines without one.
 *
 * <pre>EmbeddedRedisMain --port P [--bind 127.0.0.1] [--exit-with-pid PID]</pre>
 *
 * No persistence. Prints {@code redis ready on HOST:P} and runs until killed (SIGTERM stops redis-server).
 */
public final class EmbeddedRedisMain {

    private static final String PROGRAM = "EmbeddedRedisMain";

    private EmbeddedRedisMain() {
    }

    public static void main(String[] argv) {
        Net.quietLogging();
        Mains.run(() -> {
            Args args = Args.parse(PROGRAM, argv);
            int port = args.port("port", null);
            Mains.exitWithParent(args);
            String bind = args.optional("bind", "127.0.0.1");
            Net.requireFree(PROGRAM, bind, port);
            RedisServer redis = RedisServer.newRedisServer()
                    .port(port)
                    .bind(bind)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 256mb")
                    .setting("maxmemory-policy allkeys-lru")
                    .onShutdownForceStop(true)
                    .build();
            redis.start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    redis.stop();
                } catch (Exception e) {
                    System.err.println("error while stopping redis-server: " + e);
                } finally {
                    stopped.countDown();
                }
            }, "redis-shutdown"));
            System.out.println("redis ready on " + bind + ":" + port);
            System.out.flush();
            stopped.await();
        });
    }
}
