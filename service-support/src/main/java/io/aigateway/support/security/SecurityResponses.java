package io.aigateway.support.security;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.support.http.ErrorWriter;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security refusals in the OpenAI envelope, for JAX-RS and Vert.x routes alike: 401 when no (valid) credential
 * was presented, 403 when the caller is known but this route does not accept it. The message names what is
 * expected, never what was presented.
 */
@ApplicationScoped
public class SecurityResponses {

    /** First failure handler of the router: authentication and authorization failures, whoever raised them. */
    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            Throwable f = rc.failure();
            if (f instanceof ForbiddenException) {
                forbidden(rc);
            } else if (f instanceof AuthenticationFailedException || f instanceof UnauthorizedException
                    || f instanceof AuthenticationCompletionException) {
                unauthorized(rc);
            } else if (f instanceof AuthenticationRedirectException) {
                rc.next();
            } else {
                rc.next();
            }
        });
    }

    public static void unauthorized(RoutingContext rc) {
        String path = rc.normalizedPath();
        ApiError error = path != null && path.startsWith("/internal")
                ? ApiError.unauthorized("Missing or invalid internal service credential (" + AigwHeaders.INTERNAL_TOKEN + ").")
                : ApiError.unauthorized("Missing or invalid credential: send 'Authorization: Bearer aigw_…'.")
                        .withHeader("www-authenticate", "Bearer");
        ErrorWriter.write(rc.response(), error.withHeader("x-should-retry", "false"));
    }

    public static void forbidden(RoutingContext rc) {
        ErrorWriter.write(rc.response(), ApiError.forbidden("This caller is not allowed to use this endpoint.")
                .withHeader("x-should-retry", "false"));
    }
}
