package io.aigateway.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL (binaries shipped in Maven jars by zonky) for machines without one.
 *
 * <pre>EmbeddedPostgresMain --port P --data-dir D [--work-dir W] [--exit-with-pid PID]</pre>
 *
 * The data dir is kept between starts (initdb only the first time). User {@code postgres}, trust
 * auth, listening on 127.0.0.1. Prints {@code postgres ready on 127.0.0.1:P} and runs until killed
 * (SIGTERM stops PostgreSQL cleanly).
 */
public final class EmbeddedPostgresMain {

    private static final String PROGRAM = "EmbeddedPostgresMain";

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] argv) {
        Net.quietLogging();
        Mains.run(() -> {
            Args args = Args.parse(PROGRAM, argv);
            int port = args.port("port", null);
            Mains.exitWithParent(args);
            Path dataDir = Path.of(args.required("data-dir")).toAbsolutePath();
            Path workDir = Path.of(args.optional("work-dir", dataDir.resolveSibling(dataDir.getFileName() + "-bin")
                    .toString())).toAbsolutePath();
            if ("root".equals(System.getProperty("user.name"))) {
                throw new Args.UsageException(PROGRAM + ": PostgreSQL refuses to run as root; run as a normal user, "
                        + "or install PostgreSQL (apt-get install -y postgresql) and start it");
            }
            Net.requireFree(PROGRAM, "127.0.0.1", port);
            Files.createDirectories(dataDir.getParent());
            Files.createDirectories(workDir);

            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setRegisterShutdownHook(false)
                    .start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception e) {
                    System.err.println("error while stopping PostgreSQL: " + e);
                } finally {
                    stopped.countDown();
                }
            }, "postgres-shutdown"));
            System.out.println("postgres ready on 127.0.0.1:" + port + " (data " + dataDir + ")");
            System.out.flush();
            stopped.await();
        });
    }
}
