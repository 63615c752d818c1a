package io.aigateway.fake;

/**
 * {@code java -jar fake-provider.jar [--port N] [--host H] [--event-loops N]}.
 * Environment: {@code FAKE_PROVIDER_PORT} (default 8090, 0 = random), {@code FAKE_PROVIDER_HOST} (default 127.0.0.1),
 * {@code FAKE_PROVIDER_EVENT_LOOPS} (default 1). Prints {@code fake-provider listening on <port>} when ready.
 */
public final class FakeProviderMain {

    private FakeProviderMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("vertx.disableFileCPResolving", "true");
        int port = intValue("FAKE_PROVIDER_PORT", System.getenv("FAKE_PROVIDER_PORT"), 8090);
        String host = envOr("FAKE_PROVIDER_HOST", "127.0.0.1");
        int loops = intValue("FAKE_PROVIDER_EVENT_LOOPS", System.getenv("FAKE_PROVIDER_EVENT_LOOPS"), 1);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (name) {
                case "--port", "--host", "--event-loops" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            usage("missing value for " + name);
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> port = intValue(name, value, port);
                        case "--host" -> host = value;
                        default -> loops = intValue(name, value, loops);
                    }
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument " + arg);
            }
        }
        if (port < 0 || port > 65535 || loops < 1) {
            usage("port must be in 0..65535 and event loops >= 1");
        }
        FakeProviderServer server = new FakeProviderServer(loops);
        int actual;
        try {
            actual = server.start(host, port);
        } catch (Exception e) {
            System.err.println("fake-provider: cannot listen on " + host + ":" + port + ": " + rootMessage(e));
            server.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }, "fake-provider-shutdown"));
        System.out.println("fake-provider listening on " + actual);
        System.out.flush();
    }

    private static final String USAGE = "usage: java -jar fake-provider.jar [--port N] [--host H] [--event-loops N]\n"
            + "  env: FAKE_PROVIDER_PORT (default 8090, 0 = random), FAKE_PROVIDER_HOST (default 127.0.0.1),\n"
            + "       FAKE_PROVIDER_EVENT_LOOPS (default 1)";

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int intValue(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            usage(name + " must be an integer, got '" + value + "'");
            return fallback;
        }
    }

    private static void usage(String problem) {
        System.err.println("fake-provider: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
