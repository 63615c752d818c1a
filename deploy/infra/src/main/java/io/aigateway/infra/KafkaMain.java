package io.aigateway.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker + controller in one process), run in-process.
 *
 * <pre>
 * KafkaMain --port P --controller-port C --data-dir D [--host 127.0.0.1] [--ready-file F]
 *           [--override key=value[,key=value...]] [--exit-with-pid PID]
 * </pre>
 *
 * A port of 0 means "pick a free one". Storage is formatted (random cluster id) when the data dir has
 * never been formatted. Once the broker answers a metadata request it prints
 * {@code kafka ready on HOST:PORT (controller HOST:CPORT)} on stdout and, when asked, writes
 * {@code port=P} / {@code controllerPort=C} / {@code bootstrap=HOST:P} to the ready file (atomically).
 * SIGTERM / Ctrl-C shut the broker down cleanly.
 */
public final class KafkaMain {

    private static final String PROGRAM = "KafkaMain";

    private KafkaMain() {
    }

    public static void main(String[] argv) {
        Net.quietLogging();
        Mains.run(() -> {
            Args args = Args.parse(PROGRAM, argv);
            String host = args.optional("host", "127.0.0.1");
            int port = args.port("port", 9092);
            int controllerPort = args.port("controller-port", 9093);
            Path dataDir = Path.of(args.required("data-dir")).toAbsolutePath();
            String readyFile = args.optional("ready-file", null);
            long readyTimeoutMs = args.millis("ready-timeout-ms", 120_000);
            Map<String, String> overrides = parseOverrides(args.optional("override", ""));
            Mains.exitWithParent(args);

            if (port == 0) {
                port = Net.freePort();
            }
            if (controllerPort == 0) {
                do {
                    controllerPort = Net.freePort();
                } while (controllerPort == port);
            }
            if (port == controllerPort) {
                throw args.usage("--port and --controller-port must differ");
            }
            Net.requireFree(PROGRAM, host, port);
            Net.requireFree(PROGRAM, host, controllerPort);

            Broker broker = new Broker(host, port, controllerPort, dataDir, overrides);
            broker.startAndAwaitReady(Duration.ofMillis(readyTimeoutMs));
            if (readyFile != null) {
                writeReadyFile(Path.of(readyFile), host, port, controllerPort);
            }
            System.out.println("kafka ready on " + host + ":" + port + " (controller " + host + ":"
                    + controllerPort + ", data " + dataDir + ")");
            System.out.flush();
            broker.awaitShutdown();
        });
    }

    static Map<String, String> parseOverrides(String spec) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String kv : spec.split(",")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new Args.UsageException(PROGRAM + ": --override expects key=value pairs, got '" + kv + "'");
            }
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }

    private static void writeReadyFile(Path file, String host, int port, int controllerPort) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".kafka-ready", ".tmp");
        Files.writeString(tmp, "port=" + port + "\ncontrollerPort=" + controllerPort + "\nbootstrap=" + host + ":"
                + port + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The broker: config, storage format, start, readiness probe, clean stop. Also used by tests. */
    static final class Broker implements AutoCloseable {

        private static final Logger LOG = LoggerFactory.getLogger(KafkaMain.class);

        private final String host;
        private final int port;
        private final int controllerPort;
        private final Path dataDir;
        private final Map<String, String> overrides;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile KafkaRaftServer server;

        Broker(String host, int port, int controllerPort, Path dataDir, Map<String, String> overrides) {
            this.host = host;
            this.port = port;
            this.controllerPort = controllerPort;
            this.dataDir = dataDir;
            this.overrides = overrides;
        }

        String bootstrap() {
            return host + ":" + port;
        }

        Properties serverProperties() {
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            // Static single-voter quorum: survives a restart on other ports (a dynamic quorum records
            // the controller endpoint in the storage at format time).
            p.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("log.dirs", dataDir.resolve("logs").toString());
            p.setProperty("num.partitions", "1");
            p.setProperty("auto.create.topics.enable", "true");
            p.setProperty("default.replication.factor", "1");
            p.setProperty("min.insync.replicas", "1");
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "1");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("transaction.state.log.num.partitions", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("share.coordinator.state.topic.num.partitions", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("log.retention.hours", "72");
            p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
            p.setProperty("num.network.threads", "2");
            p.setProperty("num.io.threads", "2");
            p.setProperty("num.recovery.threads.per.data.dir", "1");
            p.setProperty("background.threads", "2");
            p.setProperty("log.cleaner.threads", "1");
            p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
            overrides.forEach(p::setProperty);
            return p;
        }

        void startAndAwaitReady(Duration readyTimeout) throws Exception {
            Files.createDirectories(dataDir);
            Path propsFile = dataDir.resolve("server.properties");
            Properties props = serverProperties();
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "written by io.aigateway.infra.KafkaMain on every start");
            }
            formatIfNeeded(propsFile);

            long t0 = System.nanoTime();
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
            server = s;
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kafka-shutdown"));
            s.startup();
            LOG.info("broker started in {} ms; waiting for it to answer metadata requests", (System.nanoTime() - t0) / 1_000_000);
            try {
                KafkaProbe.awaitReady(bootstrap(), readyTimeout);
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        private void formatIfNeeded(Path propsFile) throws IOException {
            Path logs = dataDir.resolve("logs");
            if (Files.exists(logs.resolve("meta.properties"))) {
                LOG.info("storage in {} already formatted", logs);
                return;
            }
            String clusterId = Uuid.randomUuid().toString();
            List<String> cmd = new ArrayList<>(List.of("format", "-t", clusterId, "-c", propsFile.toString(),
                    "--ignore-formatted"));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int rc;
            try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(cmd.toArray(String[]::new), ps);
            }
            String output = buf.toString(StandardCharsets.UTF_8).trim();
            if (rc != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (" + rc + "): " + output);
            }
            LOG.info("formatted storage in {} with cluster id {}", logs, clusterId);
        }

        void awaitShutdown() throws InterruptedException {
            stopped.await();
        }

        @Override
        public synchronized void close() {
            KafkaRaftServer s = server;
            if (s == null) {
                return;
            }
            server = null;
            LOG.info("stopping broker on {}", bootstrap());
            try {
                s.shutdown();
                s.awaitShutdown();
                LOG.info("broker stopped");
            } catch (RuntimeException e) {
                LOG.warn("error while stopping the broker: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }
    }
}
