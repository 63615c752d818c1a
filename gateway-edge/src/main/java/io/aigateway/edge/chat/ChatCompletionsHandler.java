package io.aigateway.edge.chat;

import io.aigateway.support.tracing.Traces;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.auth.Caller;
import io.aigateway.edge.config.EdgeConfig;
import io.aigateway.edge.http.BodyReader;
import io.aigateway.edge.http.Contexts;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.aigateway.edge.metrics.EdgeTiming;
import io.aigateway.edge.quota.QuotaDecision;
import io.aigateway.edge.quota.QuotaGate;
import io.aigateway.support.client.InternalCall;
import io.aigateway.edge.routing.RoutingClient;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/chat/completions}: request ID → API key → body limit → strict JSON parse and validation
 * ({@link ChatRequestReader}) → control headers → quota check and reservation ({@link QuotaGate}: 429 when over a
 * limit, {@code x-ratelimit-*} headers on every answer) → relay to routing-service (the validated tree serialised
 * again, not the client's bytes) → relay the answer (JSON, or SSE chunk by chunk with the usage chunk
 * stripped unless the client asked for it).
 */
@ApplicationScoped
public class ChatCompletionsHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ChatCompletionsHandler.class);
    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);
    private static final int MAX_FORWARDED_HEADER = 256;

    private final ApiKeyService apiKeys;
    private final RoutingClient routing;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final ObjectMapper mapper;
    private final ChatRequestReader reader;
    private final QuotaGate quota;
    private final long maxBodyBytes;

    public ChatCompletionsHandler(ApiKeyService apiKeys, RoutingClient routing, ErrorResponder errors,
                                  PublicRequests publicRequests, ObjectMapper mapper, ChatRequestReader reader,
                                  EdgeConfig config, QuotaGate quota) {
        this.quota = quota;
        this.apiKeys = apiKeys;
        this.routing = routing;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.mapper = mapper;
        this.reader = reader;
        this.maxBodyBytes = config.maxBodyBytes();
    }

    @Override
    public void handle(RoutingContext rc) {
        accept(rc, "chat", this::onBody);
    }

    /** What a public route that relays to routing gets once the caller is known and the body read. */
    @FunctionalInterface
    public interface AcceptedBody {
        void onBody(RoutingContext rc, String rid, Caller caller, Buffer body, long startNanos);
    }

    /**
     * The first steps of every relayed route: request ID (metrics under {@code route}) → API key → body up to
     * {@code aigw.edge.max-body-bytes}; any failure answers in the envelope.
     */
    public void accept(RoutingContext rc, String route, AcceptedBody next) {
        long startNanos = System.nanoTime();
        HttpServerRequest req = rc.request();
        req.pause();
        String rid = publicRequests.begin(rc, route);
        publicRequests.timeOverhead(rc, route, startNanos);
        EdgeTiming.waiting(rc); // the key lookup
        apiKeys.authenticate(req.getHeader("Authorization"))
                .emitOn(Contexts.of(Vertx.currentContext()))
                .invoke(() -> EdgeTiming.answered(rc))
                .onFailure().invoke(() -> EdgeTiming.answered(rc))
                .subscribe().with(
                        caller -> {
                            if (caller.userId() != null) {
                                // on the request's duplicated context: this request's later log lines carry it
                                org.jboss.logging.MDC.put(Traces.MDC_USER_ID, caller.userId());
                            }
                            BodyReader.read(rc, maxBodyBytes, errors, body -> {
                                try {
                                    next.onBody(rc, rid, caller, body, startNanos);
                                } catch (RuntimeException e) {
                                    errors.send(rc, errors.toError(e));
                                }
                            });
                        },
                        failure -> errors.send(rc, errors.toError(failure)));
    }

    private void onBody(RoutingContext rc, String rid, Caller caller, Buffer body, long startNanos) {
        ChatCompletionRequest chat;
        try {
            chat = reader.read(body);
        } catch (ApiException e) {
            errors.send(rc, e.error());
            return;
        }
        Buffer forwarded = reader.write(chat);
        MultiMap in = rc.request().headers();
        String policy = in.get(AigwHeaders.POLICY);
        RoutePolicy routePolicy = null;
        if (policy != null) {
            routePolicy = RoutePolicy.fromWire(policy);
            if (routePolicy == null) {
                errors.send(rc, ApiError.badRequest("Unknown routing policy in X-Aigw-Policy; expected one of "
                        + "user-preference, cost, latency, quality, round-robin.", AigwHeaders.POLICY, "invalid_policy"));
                return;
            }
        }
        String context = in.get(AigwHeaders.CONTEXT);
        if (context != null && !CONTEXT.matcher(context).matches()) {
            errors.send(rc, ApiError.badRequest("X-Aigw-Context must match " + AigwHeaders.CONTEXT_PATTERN + ".",
                    AigwHeaders.CONTEXT, "invalid_context"));
            return;
        }
        String cacheControl = in.get(AigwHeaders.CACHE_CONTROL);
        String cacheTtl = in.get(AigwHeaders.CACHE_TTL);
        if (tooLong(cacheControl) || tooLong(cacheTtl)) {
            errors.send(rc, ApiError.badRequest("Cache control header too long.", null, "invalid_header"));
            return;
        }
        boolean stream = chat.stream();
        boolean includeUsage = chat.includeUsage();
        RoutePolicy chosenPolicy = routePolicy;
        MultiMap h = routingHeaders(rid, caller, stream);
        if (context != null) {
            h.set(AigwHeaders.CONTEXT, context);
        }
        if (chosenPolicy != null) {
            h.set(AigwHeaders.POLICY, chosenPolicy.wireName());
        }
        if (cacheControl != null) {
            h.set(AigwHeaders.CACHE_CONTROL, cacheControl);
        }
        if (cacheTtl != null) {
            h.set(AigwHeaders.CACHE_TTL, cacheTtl);
        }
        reserveAndCall(rc, caller, chat, h, forwarded, answer -> {
            HttpClientResponse in2 = answer;
            String ctype = in2.getHeader("content-type");
            boolean sse = stream && in2.statusCode() / 100 == 2 && ctype != null
                    && ctype.regionMatches(true, 0, "text/event-stream", 0, 17);
            if (sse) {
                new SseRelay(rc, in2, includeUsage, mapper, startNanos).start();
            } else {
                relayJson(rc, in2, startNanos);
            }
        });
    }

    /** The headers every call to routing carries: content negotiation, request ID and the caller's identity. */
    public MultiMap routingHeaders(String rid, Caller caller, boolean stream) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("content-type", "application/json");
        h.set("accept", stream ? "text/event-stream" : "application/json");
        h.set(AigwHeaders.REQUEST_ID, rid);
        h.set(AigwHeaders.CALLER_USER, nullToEmpty(caller.userId()));
        h.set(AigwHeaders.CALLER_KEY, nullToEmpty(caller.keyId()));
        h.set(AigwHeaders.CALLER_ROLES, caller.rolesHeader());
        return h;
    }

    /**
     * Quota check and reservation ({@link QuotaGate}: refused → its error; {@code x-ratelimit-*} on the answer),
     * then the call to routing with the reservation; a client gone away cancels it. Routing settles the reservation
     * with its usage event; when routing never answers it is released here and the client gets the transport error.
     * {@code onAnswer} gets routing's answer head (any status), its body not yet read.
     */
    public void reserveAndCall(RoutingContext rc, Caller caller, ChatCompletionRequest chat, MultiMap h,
                               Buffer forwarded, Handler<HttpClientResponse> onAnswer) {
        quota.reserve(caller, chat).emitOn(Contexts.of(Vertx.currentContext())).subscribe().with(decision -> {
            if (decision.refused()) {
                errors.send(rc, decision.error());
                return;
            }
            if (rc.response().closed()) {
                quota.release(decision);
                return;
            }
            decision.applyTo(rc.response().headers());
            if (decision.reservation() != null) {
                h.set(AigwHeaders.QUOTA_RESERVATION, decision.reservation());
            }
            call(rc, h, forwarded, decision, onAnswer);
        }, failure -> errors.send(rc, errors.toError(failure)));
    }

    private void call(RoutingContext rc, MultiMap h, Buffer forwarded, QuotaDecision decision,
                      Handler<HttpClientResponse> onAnswer) {
        InternalCall call = routing.call(HttpMethod.POST, RoutingClient.ROUTE_CHAT, h, forwarded);
        // the client went away: stop routing's work, unless its answer was already read (InternalCall#cancel)
        rc.response().closeHandler(v -> call.cancel());
        EdgeTiming.waiting(rc);
        call.send().onComplete(sent -> {
            EdgeTiming.answered(rc);
            if (sent.failed()) {
                // routing never answered, so it will not settle: nothing was produced, nothing is charged
                quota.release(decision);
                upstreamFailed(rc, sent.cause());
                return;
            }
            onAnswer.handle(sent.result());
        });
    }

    private void relayJson(RoutingContext rc, HttpClientResponse in, long startNanos) {
        EdgeTiming.waiting(rc); // routing's body
        in.body().onComplete(ar -> {
            EdgeTiming.answered(rc);
            if (ar.failed()) {
                upstreamFailed(rc, ar.cause());
                return;
            }
            HttpServerResponse resp = rc.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            resp.setStatusCode(in.statusCode());
            copyRelayedHeaders(in, resp, startNanos);
            String ctype = in.getHeader("content-type");
            resp.putHeader("content-type", ctype != null ? ctype : "application/json");
            resp.end(ar.result());
        });
    }

    /**
     * Relays {@link AigwHeaders#relayedToClient} headers and sets {@code x-aigw-overhead-ms}. The edge's
     * {@code x-request-id} (set first) stays authoritative.
     */
    public static void copyRelayedHeaders(HttpClientResponse in, HttpServerResponse out, long startNanos) {
        String upstreamMs = null;
        for (Map.Entry<String, String> e : in.headers()) {
            String name = e.getKey();
            if (AigwHeaders.relayedToClient(name) && !name.equalsIgnoreCase(AigwHeaders.REQUEST_ID)) {
                out.headers().set(name, e.getValue());
            } else if (name.equalsIgnoreCase(AigwHeaders.UPSTREAM_MS)) {
                upstreamMs = e.getValue();
            }
        }
        if (upstreamMs != null) {
            try {
                double totalMs = (System.nanoTime() - startNanos) / 1_000_000.0;
                long overhead = Math.max(0, Math.round(totalMs - Double.parseDouble(upstreamMs.trim())));
                out.headers().set(AigwHeaders.OVERHEAD_MS, Long.toString(overhead));
            } catch (NumberFormatException ignored) {
                // a malformed measurement is simply not reported
            }
        }
    }

    /** Routing could not be reached or its answer broke off before it was read: the transport error. */
    public void upstreamFailed(RoutingContext rc, Throwable t) {
        if (rc.response().closed()) {
            return;
        }
        LOG.warnf("routing-service call failed: %s", LogSafe.escape(t));
        errors.send(rc, RoutingClient.transportError(t));
    }

    private static boolean tooLong(String v) {
        return v != null && v.length() > MAX_FORWARDED_HEADER;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
