package io.aigateway.admin.quotas.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.support.http.RequestIds;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Calls usage-service's quota API with admin-service's service credential and the request ID, within a deadline.
 * Its answers are relayed as they are (usage-service owns the rules, so its 400/404/409 envelopes say what is
 * wrong better than we could), except where relaying would mislead the admin:
 * <ul>
 *   <li>401/403: usage-service refused <em>our</em> credential, not the admin's key → 502 (a deployment error);</li>
 *   <li>a body that is not JSON, or a 5xx without one → 502;</li>
 *   <li>unreachable → 503 with {@code retry-after}; no answer in time → 504.</li>
 * </ul>
 * Path ids are passed raw and encoded here ({@link PathSegments}).
 */
@ApplicationScoped
public class UsageClient {

    private static final Logger LOG = Logger.getLogger(UsageClient.class);

    private final UsageRestClient client;
    private final ServiceCredentials credentials;
    private final ObjectMapper mapper;
    private final Duration timeout;

    public UsageClient(@RestClient UsageRestClient client, ServiceCredentials credentials, ObjectMapper mapper,
                       UsageConfig config) {
        this.client = client;
        this.credentials = credentials;
        this.mapper = mapper;
        this.timeout = config.timeout();
    }

    public Uni<UsageAnswer> tiers() {
        return relay((token, rid) -> client.tiers(token, rid));
    }

    public Uni<UsageAnswer> tier(String tier) {
        return relay((token, rid) -> client.tier(token, rid, PathSegments.encode(tier)));
    }

    public Uni<UsageAnswer> putTier(String tier, String body) {
        return relay((token, rid) -> client.putTier(token, rid, PathSegments.encode(tier), body));
    }

    public Uni<UsageAnswer> deleteTier(String tier) {
        return relay((token, rid) -> client.deleteTier(token, rid, PathSegments.encode(tier)));
    }

    public Uni<UsageAnswer> user(String userId) {
        return relay((token, rid) -> client.user(token, rid, PathSegments.encode(userId)));
    }

    public Uni<UsageAnswer> putUser(String userId, String body) {
        return relay((token, rid) -> client.putUser(token, rid, PathSegments.encode(userId), body));
    }

    /** @param body the optional JSON body ({@code {"windows":[…]}}), or null */
    public Uni<UsageAnswer> resetUser(String userId, String body) {
        return relay((token, rid) -> client.resetUser(token, rid, PathSegments.encode(userId), body));
    }

    public Uni<UsageAnswer> key(String keyId) {
        return relay((token, rid) -> client.key(token, rid, PathSegments.encode(keyId)));
    }

    public Uni<UsageAnswer> putKey(String keyId, String body) {
        return relay((token, rid) -> client.putKey(token, rid, PathSegments.encode(keyId), body));
    }

    public Uni<UsageAnswer> deleteKey(String keyId) {
        return relay((token, rid) -> client.deleteKey(token, rid, PathSegments.encode(keyId)));
    }

    /** @param body the optional JSON body ({@code {"windows":[…]}}), or null */
    public Uni<UsageAnswer> resetKey(String keyId, String body) {
        return relay((token, rid) -> client.resetKey(token, rid, PathSegments.encode(keyId), body));
    }

    private Uni<UsageAnswer> relay(BiFunction<String, String, Uni<RestResponse<String>>> call) {
        String requestId = RequestIds.current();
        return Uni.createFrom().deferred(() -> call.apply(credentials.token(), requestId))
                .ifNoItem().after(timeout).fail()
                .onFailure().transform(UsageClient::toApiException)
                .map(this::answer);
    }

    private UsageAnswer answer(RestResponse<String> response) {
        return answer(response.getStatus(), bodyOf(response), response.getHeaderString("retry-after"));
    }

    /**
     * The answer's body as text. A 2xx entity arrives read as a String; with the default mapper off, an error answer's
     * entity is left unread, as the buffered stream of its bytes ({@code readEntity(String.class)} then finds no
     * reader), so it is read here, as UTF-8 (JSON's encoding).
     */
    static String bodyOf(RestResponse<?> response) {
        Object entity = response.getEntity();
        if (entity == null || entity instanceof String) {
            return (String) entity;
        }
        if (entity instanceof InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("unexpected entity " + entity.getClass().getName());
    }

    UsageAnswer answer(int status, String body, String retryAfter) {
        boolean hasBody = body != null && !body.isBlank();
        if (status == 401 || status == 403) {
            LOG.errorf("usage-service refused admin-service's credential (%d): check aigw.service-auth.token and "
                    + "usage-service's admin caller", status);
            throw upstreamError("usage-service refused admin-service's credential (status " + status + ").");
        }
        if (hasBody && !isJson(body)) {
            LOG.warnf("usage-service answered %d with a body that is not JSON", status);
            throw upstreamError("usage-service answered with status " + status + " and a body that is not JSON.");
        }
        if (status >= 500 && !hasBody) {
            LOG.warnf("usage-service answered %d", status);
            throw upstreamError("usage-service answered with status " + status + ".");
        }
        return new UsageAnswer(status, hasBody ? body : null, retryAfter);
    }

    private boolean isJson(String body) {
        try {
            mapper.readTree(body);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static ApiException upstreamError(String message) {
        return new ApiError(502, "api_error", "upstream_error", null, message, null).exception();
    }

    static ApiException toApiException(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        // our deadline (Mutiny's own TimeoutException), or the REST client's read timeout (a j.u.c. one, wrapped)
        if (t instanceof io.smallrye.mutiny.TimeoutException || hasCause(t, TimeoutException.class)) {
            LOG.warn("usage-service did not answer in time");
            return new ApiError(504, "api_error", "upstream_timeout", null,
                    "usage-service did not answer in time.", null).exception();
        }
        if (t instanceof IllegalStateException) {
            // ServiceCredentials: this service has no credential of its own; a deployment error, said in the log.
            LOG.errorf("Cannot call usage-service: %s", t.getMessage());
            return ApiError.internal("Internal error.").exception();
        }
        LOG.warnf("usage-service unavailable: %s", t.getClass().getSimpleName());
        return new ApiError(503, "api_error", "upstream_unavailable", null,
                "usage-service is unavailable.", null).withHeader("retry-after", "5").exception();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
