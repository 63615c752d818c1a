package io.aigateway.infra;

import java.util.HashMap;
import java.util.Map;

/** Minimal {@code --name value} command-line parser shared by the mains. */
final class Args {

    private final String program;
    private final Map<String, String> values = new HashMap<>();

    private Args(String program) {
        this.program = program;
    }

    static Args parse(String program, String[] argv) {
        Args args = new Args(program);
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw args.usage("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                throw args.usage("missing value for --" + name);
            }
            args.values.put(name, value);
        }
        return args;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw usage("--" + name + " is required");
        }
        return v;
    }

    String optional(String name, String defaultValue) {
        String v = values.get(name);
        return v == null || v.isBlank() ? defaultValue : v;
    }

    int port(String name, Integer defaultValue) {
        String v = defaultValue == null ? required(name) : optional(name, String.valueOf(defaultValue));
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw usage("--" + name + " must be a port number (0-65535), got " + v);
            }
            return p;
        } catch (NumberFormatException e) {
            throw usage("--" + name + " must be a port number, got '" + v + "'");
        }
    }

    long millis(String name, long defaultValue) {
        String v = optional(name, String.valueOf(defaultValue));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw usage("--" + name + " must be a number of milliseconds, got '" + v + "'");
        }
    }

    UsageException usage(String message) {
        return new UsageException(program + ": " + message);
    }

    /** A bad command line: reported on stderr, exit status 2, no stack trace. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
