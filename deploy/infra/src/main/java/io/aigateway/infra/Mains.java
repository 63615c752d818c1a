package io.aigateway.infra;

/** Common exit handling for the mains: usage errors without stack traces. */
final class Mains {

    private Mains() {
    }

    interface Body {
        void run() throws Exception;
    }

    /**
     * With {@code --exit-with-pid N}: exit (running the shutdown hooks, so the server stops cleanly)
     * as soon as process N is gone, so nothing outlives a launcher that was killed with SIGKILL.
     */
    static void exitWithParent(Args args) {
        String pid = args.optional("exit-with-pid", null);
        if (pid == null) {
            return;
        }
        long watched;
        try {
            watched = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            throw args.usage("--exit-with-pid must be a process id, got '" + pid + "'");
        }
        var handle = ProcessHandle.of(watched);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            throw args.usage("process " + watched + " (--exit-with-pid) is not running");
        }
        Thread t = new Thread(() -> {
            while (handle.get().isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("process " + watched + " is gone: exiting");
            System.exit(0);
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
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
