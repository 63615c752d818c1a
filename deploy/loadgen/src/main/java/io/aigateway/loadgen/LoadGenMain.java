package io.aigateway.loadgen;

/**
 * {@code java -jar loadgen.jar --url … [--concurrency 100] [--duration 20s] [--warmup 5s] [--json]}; see
 * {@link LoadGenArgs#USAGE}. Exit status: 0 after a run with at least one response, 1 when nothing answered,
 * 2 on a bad command line.
 */
public final class LoadGenMain {

    private LoadGenMain() {
    }

    public static void main(String[] argv) throws Exception {
        System.setProperty("vertx.disableFileCPResolving", "true");
        LoadGenArgs args;
        try {
            args = LoadGenArgs.parse(argv);
        } catch (LoadGenArgs.UsageException e) {
            if (e.getMessage().isEmpty()) { // --help
                System.out.println(LoadGenArgs.USAGE);
                System.exit(0);
            }
            System.err.println("loadgen: " + e.getMessage());
            System.err.println(LoadGenArgs.USAGE);
            System.exit(2);
            return;
        }
        // A marker on stderr for scripts that act during the run (deploy/bin/chaos kills a provider at a point of it).
        LoadGenResult result = new LoadGen(args, () -> System.err.println("loadgen: measuring for "
                + args.durationMs() + " ms")).run();
        System.out.print(args.json() ? result.toJson().encode() + "\n" : result.toText());
        System.out.flush();
        System.exit(result.responses() > 0 ? 0 : 1);
    }
}
