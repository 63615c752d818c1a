package io.aigateway.admin.security;

import io.aigateway.admin.common.ErrorMappers;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Pattern;

/**
 * Guards every route under {@code /api/v1/ai/admin}: {@code Authorization: Bearer aigw_…} must name a live key
 * (else 401) carrying role {@code admin} (else 403, {@code permission_error}). Runs before routing, so unknown
 * admin paths reveal nothing to unauthenticated callers. The caller's record is left in the request property
 * {@link #CALLER} for resources that need it.
 */
@Singleton
public class AdminAuthFilter {

    public static final String CALLER = "aigw.caller";
    static final String ADMIN_PREFIX = "/api/v1/ai/admin";

    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);
    private static final String BEARER = "bearer ";

    private final AdminAuthenticator authenticator;

    public AdminAuthFilter(AdminAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @ServerRequestFilter(preMatching = true, priority = 30)
    public Uni<Response> check(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!isAdmin(path)) {
            return Uni.createFrom().nullItem();
        }
        String key = bearer(ctx.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().item(unauthorized("Missing API key: send 'Authorization: Bearer aigw_…'."));
        }
        return authenticator.authenticate(key).map(found -> {
            if (found.isEmpty()) {
                LOG.infof("Rejected %s %s: unknown, revoked or expired key", ctx.getMethod(), path);
                return unauthorized("Invalid API key.");
            }
            var caller = found.get();
            if (!caller.hasRole(Roles.ADMIN)) {
                LOG.infof("Rejected %s %s: key %s lacks role admin", ctx.getMethod(), path, caller.keyId());
                return ErrorMappers.toResponse(ApiError.forbidden("This API key does not have the 'admin' role."));
            }
            ctx.setProperty(CALLER, caller);
            return null;
        });
    }

    static boolean isAdmin(String path) {
        String p = SLASHES.matcher(path.startsWith("/") ? path : "/" + path).replaceAll("/");
        return p.equals(ADMIN_PREFIX) || p.startsWith(ADMIN_PREFIX + "/");
    }

    static String bearer(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = authorization.substring(BEARER.length()).strip();
        return value.isEmpty() ? null : value;
    }

    private static Response unauthorized(String message) {
        return ErrorMappers.toResponse(ApiError.unauthorized(message)
                .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }
}
