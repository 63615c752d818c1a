package io.aigateway.edge.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.catalog.CatalogView.Catalog;
import io.aigateway.edge.catalog.CatalogView.RoutingCatalog;
import io.aigateway.edge.catalog.CatalogView.UsagePerformance;
import io.aigateway.edge.http.Contexts;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/ai/models} and {@code GET /api/v1/ai/models/{id}} ({@code id} = {@code provider/model} or a
 * group name, as a plain path: {@code /api/v1/ai/models/openai/gpt-4o-mini}): the public model catalog ({@link CatalogView}).
 * <p>
 * Public: without {@code Authorization} the caller is anonymous and limited per client address (the connection's
 * remote address) to {@code aigw.edge.catalog.anonymous-rpm} requests a minute (429 + Retry-After). A presented
 * credential is checked: invalid → 401 (never downgraded to anonymous); a valid one (with or without role
 * {@code user}) has no anonymous limit; when no key source answers (503) the caller is treated as anonymous.
 * Answers carry a strong {@code ETag} (SHA-256 of the body) and {@code Cache-Control: public, max-age=N};
 * {@code If-None-Match} with the current tag → 304.
 */
@ApplicationScoped
public class CatalogHandler {

    public static final String PATH = "/api/v1/ai/models";

    /** One serialized answer with its tag. */
    record Body(Buffer bytes, String etag) {
    }

    /** The merged catalog of one pair of source snapshots. */
    private record Built(RoutingCatalog routing, Optional<UsagePerformance> performance, Catalog catalog, Body list) {
    }

    private final ApiKeyService apiKeys;
    private final CatalogSources sources;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final ObjectMapper mapper;
    private final CatalogConfig config;
    private final AnonymousLimiter limiter;
    private final String cacheControl;
    private volatile Built built;

    public CatalogHandler(ApiKeyService apiKeys, CatalogSources sources, ErrorResponder errors,
                          PublicRequests publicRequests, ObjectMapper mapper, CatalogConfig config) {
        this.apiKeys = apiKeys;
        this.sources = sources;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.mapper = mapper;
        this.config = config;
        this.limiter = new AnonymousLimiter(config.anonymousRpm(), config.anonymousMaxAddresses(),
                System::currentTimeMillis);
        this.cacheControl = "public, max-age=" + config.maxAge();
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(rc -> handle(rc, null));
        router.getWithRegex("/api/v1/ai/models/(?<id>.+)").handler(rc -> handle(rc,
                URLDecoder.decode(rc.request().path().substring(PATH.length() + 1).replace("+", "%2B"),
                        StandardCharsets.UTF_8)));
        router.route(PATH).handler(this::methodNotAllowed);
        router.route(PATH + "/*").handler(this::methodNotAllowed);
        router.route(PATH).failureHandler(this::failure);
        router.route(PATH + "/*").failureHandler(this::failure);
    }

    private void methodNotAllowed(RoutingContext rc) {
        publicRequests.begin(rc, "other");
        rc.response().putHeader("allow", "GET");
        errors.send(rc, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + rc.request().method().name() + " not allowed on " + PATH + " (use GET).", null));
    }

    private void failure(RoutingContext rc) {
        errors.send(rc, rc.failure() != null ? errors.toError(rc.failure())
                : ApiError.internal("Internal error in the gateway."));
    }

    private void handle(RoutingContext rc, String id) {
        String rid = publicRequests.begin(rc, "catalog");
        String authorization = rc.request().getHeader("Authorization");
        Uni<Boolean> admitted = authorization == null ? Uni.createFrom().item(anonymous(rc))
                : apiKeys.authenticate(authorization).map(caller -> true)
                .onFailure(ApiException.class).recoverWithUni(t -> {
                    int status = ((ApiException) t).error().status();
                    if (status == 403) {
                        return Uni.createFrom().item(true); // a valid credential without role user
                    }
                    if (status >= 500) {
                        return Uni.createFrom().item(() -> anonymous(rc)); // cannot check it: anonymous limits
                    }
                    return Uni.createFrom().failure(t);
                });
        admitted.flatMap(ok -> ok ? answer(rid, id) : Uni.createFrom().nullItem())
                .emitOn(Contexts.of(Vertx.currentContext()))
                .subscribe().with(body -> {
                    if (body != null) {
                        send(rc, body);
                    }
                }, t -> errors.send(rc, errors.toError(t)));
    }

    /** @return true when admitted; else the 429 has been sent */
    private boolean anonymous(RoutingContext rc) {
        SocketAddress remote = rc.request().remoteAddress();
        String address = remote == null ? "unknown" : remote.hostAddress();
        AnonymousLimiter.Decision d = limiter.acquire(address == null ? "unknown" : address);
        if (!d.allowed()) {
            errors.send(rc, new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null,
                    "Too many requests without credentials from this address; retry later or send an API key.", null)
                    .withHeader("retry-after", Long.toString(d.retryAfterSeconds())));
        }
        return d.allowed();
    }

    private Uni<Body> answer(String rid, String id) {
        return Uni.combine().all().unis(sources.catalog(rid), sources.performance(rid)).asTuple()
                .map(t -> {
                    Built b = built(t.getItem1(), t.getItem2());
                    if (id == null) {
                        return b.list();
                    }
                    CatalogView.Model m = b.catalog().model(id);
                    if (m != null) {
                        return body(m);
                    }
                    CatalogView.Group g = b.catalog().group(id);
                    if (g != null) {
                        return body(new CatalogView.GroupDetail(g.id(), g.members(), g.availability(),
                                g.members().stream().map(b.catalog()::model).filter(x -> x != null).toList()));
                    }
                    throw ApiError.notFound("The model '" + id + "' is not in the catalog.").exception();
                });
    }

    private Built built(RoutingCatalog routing, Optional<UsagePerformance> performance) {
        Built b = built;
        if (b != null && b.routing() == routing && b.performance() == performance) {
            return b;
        }
        Catalog c = CatalogView.merge(routing, performance.orElse(null), sources.window(), config.descriptions());
        b = new Built(routing, performance, c, body(Map.of("models", c.models(), "groups", c.groups())));
        built = b;
        return b;
    }

    private Body body(Object value) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(value);
            return new Body(Buffer.buffer(bytes), etag(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catalog not serializable", e);
        }
    }

    static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code If-None-Match}: {@code *} or a list of tags; a weak {@code W/} tag matches its strong form. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private void send(RoutingContext rc, Body body) {
        HttpServerResponse resp = rc.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        resp.putHeader("etag", body.etag());
        resp.putHeader("cache-control", cacheControl);
        resp.putHeader("vary", "Accept-Encoding");
        if (matches(rc.request().getHeader("If-None-Match"), body.etag())) {
            resp.setStatusCode(304).end();
            return;
        }
        resp.setStatusCode(200).putHeader("content-type", "application/json").end(body.bytes());
    }
}
