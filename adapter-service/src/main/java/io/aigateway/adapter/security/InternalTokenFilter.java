package io.aigateway.adapter.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every {@code /internal/**} call must carry {@code X-Aigw-Internal-Token} equal to
 * {@code aigw.internal.token} (constant-time compare), else 401 in the OpenAI envelope. Runs before any
 * route (Vert.x and REST alike) and puts the request ID into the MDC for the request's log lines.
 */
@ApplicationScoped
public class InternalTokenFilter {

    private final byte[] expected;
    private final Buffer unauthorized;

    public InternalTokenFilter(AigwConfig config, ObjectMapper mapper) throws JsonProcessingException {
        String token = config.internal().token();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("aigw.internal.token (AIGW_INTERNAL_TOKEN) must be set");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
        this.unauthorized = Buffer.buffer(mapper.writeValueAsBytes(
                ApiError.unauthorized("Missing or invalid " + AigwHeaders.INTERNAL_TOKEN + " header.").envelope()));
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 100);
    }

    void filter(RoutingContext ctx) {
        String requestId = ctx.request().getHeader(AigwHeaders.REQUEST_ID);
        if (requestId != null) {
            MDC.put("requestId", requestId);
        }
        String path = ctx.normalizedPath(); // what routes match on: dot-segments removed, %-escapes decoded
        if (path != null && path.startsWith("/internal/")) {
            String token = ctx.request().getHeader(AigwHeaders.INTERNAL_TOKEN);
            if (token == null || !MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
                var response = ctx.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                if (requestId != null) {
                    response.putHeader(AigwHeaders.REQUEST_ID, requestId);
                }
                response.end(unauthorized.copy());
                return;
            }
        }
        ctx.next();
    }
}
