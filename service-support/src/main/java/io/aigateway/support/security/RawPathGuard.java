package io.aigateway.support.security;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.http.ErrorWriter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Refuses, before authentication and before any route, a request-target that different layers could read as
 * different paths: absolute-form or asterisk-form targets, {@code ;} path parameters (RESTEasy drops them when it
 * matches, path permissions do not), backslashes, empty segments ({@code //}), dot segments, a trailing slash
 * (except Swagger UI's index {@code /q/swagger-ui/}), and percent-escapes of {@code /}, {@code \}, {@code %}, control
 * characters or of characters that never need escaping (a non-canonical spelling such as {@code /%69nternal}).
 * What is left has exactly one reading, so the path the permissions check is the path the routes match. Refused
 * with 404 in the OpenAI envelope.
 */
@ApplicationScoped
public class RawPathGuard {

    /** Runs before authentication (Quarkus: 200) and authorization (100). */
    public static final int PRIORITY = 300;
    private static final Logger LOG = Logger.getLogger(RawPathGuard.class);
    /**
     * The only targets whose trailing slash is their one reading: Swagger UI's index, to which {@code /q/swagger-ui}
     * redirects (Quarkus' web-jar handler). Permissions and routes both read it as that directory.
     */
    static final java.util.Set<String> DIRECTORY_INDEXES = java.util.Set.of("/q/swagger-ui/");

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext rc) {
        String reason = rejectReason(rc.request().uri());
        if (reason == null) {
            rc.next();
            return;
        }
        LOG.debugf("Refused request-target (%s)", reason);
        ErrorWriter.write(rc.response(), ApiError.notFound("Unknown request URL.").withHeader("x-should-retry", "false"));
    }

    /** Why this raw request-target is refused, or null when it is in canonical origin form. */
    public static String rejectReason(String uri) {
        if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') {
            return "not origin-form";
        }
        int end = uri.length();
        int q = uri.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int hash = uri.indexOf('#');
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        String path = uri.substring(0, end);
        if (path.length() > 1 && path.endsWith("/") && !DIRECTORY_INDEXES.contains(path)) {
            return "trailing slash";
        }
        int segStart = 1;
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (i > 0 && c == '/') {
                String seg = path.substring(segStart, i);
                if (seg.isEmpty() && i < path.length()) {
                    return "empty segment";
                }
                if (seg.equals(".") || seg.equals("..")) {
                    return "dot segment";
                }
                segStart = i + 1;
                continue;
            }
            if (i == path.length()) {
                break;
            }
            if (c == ';') {
                return "path parameter";
            }
            if (c == '\\') {
                return "backslash";
            }
            if (c < 0x21 || c == 0x7f || c > 0x7e) {
                return "raw control or non-ASCII character";
            }
            if (c == '%') {
                if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                    return "malformed escape";
                }
                int b = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
                if (b < 0x20 || b == 0x7f || b == '/' || b == '\\' || b == '%' || b == ';' || b == '.' || unreserved(b)) {
                    return "non-canonical escape";
                }
            }
        }
        return null;
    }

    private static boolean unreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '~';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
