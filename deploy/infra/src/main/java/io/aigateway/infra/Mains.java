package io.aigateway.infra;

/** Common exit handling for the mains: usage errors without stack traces. */
final class Mains {

    private Mains() {
    }

    interface Body {
        void run() throws Exception;
    }

    static void run(Body body) {
        try {
            body.run();
        } catch (Args.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
