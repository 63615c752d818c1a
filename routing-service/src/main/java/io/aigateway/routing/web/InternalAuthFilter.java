package io.aigateway.routing.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.routing.config.InternalConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * For every {@code /internal/**} request: puts the request ID in MDC (and echoes it), and answers 401 in
 * the OpenAI envelope unless {@code X-Aigw-Internal-Token} equals the configured secret (constant time).
 */
@ApplicationScoped
public class InternalAuthFilter {

    private static final String PREFIX = "/internal/";

    private final byte[] token;
    private final ObjectMapper mapper;

    public InternalAuthFilter(InternalConfig config, ObjectMapper mapper) {
        this.token = config.token().getBytes(StandardCharsets.UTF_8);
        this.mapper = mapper;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (!rc.normalizedPath().startsWith(PREFIX)) {
                rc.next();
                return;
            }
            String requestId = RequestIds.sanitize(rc.request().getHeader(AigwHeaders.REQUEST_ID));
            rc.put(RequestIds.CONTEXT_KEY, requestId);
            MDC.put(RequestIds.MDC_KEY, requestId);
            rc.response().putHeader("x-request-id", requestId);
            if (!authorized(rc.request().getHeader(AigwHeaders.INTERNAL_TOKEN))) {
                ErrorResponses.write(rc.response(), mapper,
                        ApiError.unauthorized("Missing or invalid internal service token."));
                return;
            }
            rc.next();
        }, 100);
    }

    boolean authorized(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }
}
