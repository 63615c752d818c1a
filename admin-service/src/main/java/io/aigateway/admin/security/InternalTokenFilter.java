package io.aigateway.admin.security;

import io.aigateway.admin.common.ErrorMappers;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Pattern;

/**
 * Every {@code /internal/**} request must carry {@code X-Aigw-Internal-Token} equal to {@code aigw.internal.token}
 * (constant-time comparison in {@link InternalTokenVerifier}); otherwise 401 in the OpenAI envelope, before any routing happens.
 */
@Singleton
public class InternalTokenFilter {

    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    private static final Logger LOG = Logger.getLogger(InternalTokenFilter.class);

    private final InternalTokenVerifier verifier;

    public InternalTokenFilter(InternalTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @ServerRequestFilter(preMatching = true, priority = 20)
    public Response check(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!isInternal(path)) {
            return null;
        }
        String presented = ctx.getHeaderString(AigwHeaders.INTERNAL_TOKEN);
        if (verifier.matches(presented)) {
            return null;
        }
        LOG.infof("Rejected %s %s: %s internal token", ctx.getMethod(), path, presented == null ? "missing" : "wrong");
        return ErrorMappers.toResponse(ApiError.unauthorized("Missing or invalid internal service token."));
    }

    static boolean isInternal(String path) {
        String p = SLASHES.matcher(path.startsWith("/") ? path : "/" + path).replaceAll("/");
        return p.startsWith("/internal/") || p.equals("/internal");
    }
}
