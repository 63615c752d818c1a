package io.aigateway.infra;

import java.time.Duration;

/**
 * Exits 0 once the broker at {@code --bootstrap host:port} answers a metadata request, 1 after
 * {@code --timeout-ms} (default 60000).
 */
public final class KafkaCheckMain {

    private KafkaCheckMain() {
    }

    public static void main(String[] argv) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        Net.quietLogging();
        Mains.run(() -> {
            Args args = Args.parse("KafkaCheckMain", argv);
            String bootstrap = args.required("bootstrap");
            KafkaProbe.awaitReady(bootstrap, Duration.ofMillis(args.millis("timeout-ms", 60_000)));
            System.out.println("kafka at " + bootstrap + " is ready");
        });
    }
}
