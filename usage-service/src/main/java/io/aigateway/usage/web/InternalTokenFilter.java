package io.aigateway.usage.web;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every {@code /internal/**} request must carry the shared service token, else 401 in the envelope. */
public class InternalTokenFilter {

    private static final String INTERNAL_PREFIX = "/internal/";
    private static final String INTERNAL_PREFIX_RELATIVE = "internal/";

    private final InternalTokenVerifier verifier;

    public InternalTokenFilter(InternalTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response check(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith(INTERNAL_PREFIX) && !path.startsWith(INTERNAL_PREFIX_RELATIVE)) {
            return null;
        }
        if (verifier.matches(ctx.getHeaderString(AigwHeaders.INTERNAL_TOKEN))) {
            return null;
        }
        return ErrorResponses.of(ApiError.unauthorized("Missing or invalid internal service token."));
    }
}
