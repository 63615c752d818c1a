package io.aigateway.support.rest;

import io.aigateway.contracts.error.ApiError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * {@code @RolesAllowed} refusals of JAX-RS resources in the OpenAI envelope (the Vert.x side is
 * {@code SecurityResponses}): 403 for a known caller this resource does not accept, 401 without a valid credential.
 */
public class SecurityExceptionMappers {

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return JaxRsErrors.toResponse(ApiError.forbidden("This caller is not allowed to use this endpoint.")
                .withHeader("x-should-retry", "false"));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return JaxRsErrors.toResponse(ApiError.unauthorized("Missing or invalid credential.")
                .withHeader("x-should-retry", "false"));
    }
}
