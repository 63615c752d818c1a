package io.aigateway.routing.web;

import io.aigateway.support.tracing.Traces;
import io.opentelemetry.api.trace.Span;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.metrics.RequestMetrics;
import io.aigateway.routing.pipeline.ChatChunk;
import io.aigateway.routing.pipeline.ChatPipeline;
import io.aigateway.routing.pipeline.ChatReply;
import io.aigateway.routing.pipeline.ChatRequest;
import io.aigateway.support.http.ErrorWriter;
import io.aigateway.support.http.RequestIds;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;

/**
 * {@code POST /internal/v1/route/chat} (JSON and SSE) as a Vert.x route: reads the headers and parses the body once
 * into a {@link ChatRequest}, hands it to the {@link ChatPipeline} (the cache-decorated routed pipeline), and writes
 * the answer: a JSON body as it comes, a stream chunk by chunk with the client's back-pressure. The internal token
 * and the request ID are handled by service-support's filters before this runs.
 */
@ApplicationScoped
public class ChatRoute {

    public static final String PATH = "/internal/v1/route/chat";

    private static final Logger LOG = Logger.getLogger(ChatRoute.class);
    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);

    private final ChatPipeline pipeline;
    private final ObjectMapper mapper;
    private final RoutingConfig config;
    private final RoutePolicy defaultPolicy;
    private final RequestMetrics metrics;

    public ChatRoute(ChatPipeline pipeline, ObjectMapper mapper, RoutingConfig config, RequestMetrics metrics) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.mapper = mapper;
        this.config = config;
        this.defaultPolicy = RoutePolicy.fromWire(config.defaultPolicy());
        if (defaultPolicy == null) {
            throw new IllegalStateException("aigw.routing.default-policy: unknown policy '" + config.defaultPolicy() + "'");
        }
    }

    void register(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::handle)
                .failureHandler(this::failure);
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        ApiError error = status == 413 ? ApiError.tooLarge(config.maxBodyBytes())
                : status < 500 ? ApiError.badRequest("Invalid request.", null)
                : ApiError.internal("Internal error.");
        if (ctx.failure() != null && status >= 500) {
            LOG.errorf("chat route failed: %s", LogSafe.escape(ctx.failure()));
        }
        String context = ctx.request().getHeader(AigwHeaders.CONTEXT);
        metrics.request(null, null, error.status(), defaultPolicy.wireName(),
                context == null || context.isEmpty() ? AigwHeaders.DEFAULT_CONTEXT : context, null);
        ErrorWriter.write(ctx.response(), error);
    }

    void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String requestId = ctx.get(RequestIds.CONTEXT_KEY);
        if (requestId == null) {
            requestId = RequestIds.resolve(ctx.request().getHeader(AigwHeaders.REQUEST_ID));
        }
        var h = ctx.request().headers();
        CallerHeaders caller = new CallerHeaders(requestId, h.get(AigwHeaders.CALLER_USER),
                h.get(AigwHeaders.CALLER_KEY), h.get(AigwHeaders.CALLER_ROLES), h.get(AigwHeaders.QUOTA_RESERVATION));
        if (caller.userId() != null) {
            org.jboss.logging.MDC.put(Traces.MDC_USER_ID, caller.userId());
        }
        String context = h.get(AigwHeaders.CONTEXT);
        ChatRequest request;
        try {
            if (context == null || context.isEmpty()) {
                context = AigwHeaders.DEFAULT_CONTEXT;
            } else if (!CONTEXT.matcher(context).matches()) {
                throw ApiError.badRequest("X-Aigw-Context must match " + AigwHeaders.CONTEXT_PATTERN, null, "invalid_context").exception();
            }
            RoutePolicy policy = defaultPolicy;
            String policyHeader = h.get(AigwHeaders.POLICY);
            if (policyHeader != null && !policyHeader.isEmpty()) {
                policy = RoutePolicy.fromWire(policyHeader);
                if (policy == null) {
                    throw ApiError.badRequest("Unknown routing policy in X-Aigw-Policy; expected one of "
                            + "user-preference, cost, latency, quality, round-robin.", null, "invalid_policy").exception();
                }
            }
            request = new ChatRequest(caller, context, policy, parse(ctx.body().buffer()),
                    h.getAll(AigwHeaders.CACHE_CONTROL), h.get(AigwHeaders.CACHE_TTL), start);
        } catch (ApiException e) {
            ApiError error = pipeline.rejected(caller, context, defaultPolicy.wireName(), start, e.error());
            metrics.request(null, null, error.status(), defaultPolicy.wireName(), context, null);
            ErrorWriter.write(ctx.response(), error);
            return;
        } catch (RuntimeException e) {
            LOG.errorf("routing failed unexpectedly: %s", LogSafe.escape(e));
            ApiError error = pipeline.rejected(caller, AigwHeaders.DEFAULT_CONTEXT, defaultPolicy.wireName(), start,
                    ApiError.internal("Internal error."));
            metrics.request(null, null, error.status(), defaultPolicy.wireName(), AigwHeaders.DEFAULT_CONTEXT, null);
            ErrorWriter.write(ctx.response(), error);
            return;
        }
        new Exchange(ctx.response(), request).start();
    }

    private ChatCompletionRequest parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiError.badRequest("The request body is empty; expected a JSON chat completion request.", null).exception();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body.getBytes());
        } catch (Exception e) {
            throw ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json").exception();
        }
        if (!(node instanceof ObjectNode obj)) {
            throw ApiError.badRequest("The request body must be a JSON object.", null, "invalid_json").exception();
        }
        return new ChatCompletionRequest(obj);
    }

    /** One request on the wire: the pipeline's answer written out; a client that goes away cancels it. */
    /** {@code hit}, {@code miss}, {@code bypass}… as routing answers in {@code x-aigw-cache}. */
    static final io.opentelemetry.api.common.AttributeKey<String> CACHE_RESULT =
            io.opentelemetry.api.common.AttributeKey.stringKey("aigw.cache.result");

    private final class Exchange implements MultiSubscriber<ChatChunk> {
        /** Chunks asked for ahead while the client keeps up. */
        private static final int WINDOW = 16;

        private final HttpServerResponse response;
        private final ChatRequest request;
        /** Routing's server span (current when the exchange starts): gets the cache result and who served. */
        private final Span serverSpan = Span.current();
        private Cancellable reply;
        private Flow.Subscription stream;
        private int outstanding;
        /** aigw_requests_total counted (once per request: the answer's head, or the client gone before it). */
        private boolean counted;

        Exchange(HttpServerResponse response, ChatRequest request) {
            this.response = response;
            this.request = request;
        }

        void start() {
            response.closeHandler(v -> {
                if (!response.ended()) {
                    count(null, null, 499, null, null); // the client went away before the answer
                    cancel();
                }
            });
            reply = pipeline.chat(request).subscribe().with(this::send, this::fail);
        }

        private void cancel() {
            if (stream != null) {
                stream.cancel();
            } else if (reply != null) {
                reply.cancel();
            }
        }

        private void count(String provider, String model, int status, String policyUsed, String cache) {
            if (!counted) {
                counted = true;
                metrics.request(provider, model, status, policyUsed != null ? policyUsed : request.policy().wireName(),
                        request.context(), RequestMetrics.cacheLabel(cache));
            }
        }

        private void send(ChatReply r) {
            String cache = r.headers().get(AigwHeaders.CACHE);
            if (cache != null) {
                serverSpan.setAttribute(CACHE_RESULT, cache.toLowerCase(java.util.Locale.ROOT));
            }
            Map<String, String> h = r.headers();
            count(h.get(AigwHeaders.PROVIDER), h.get(AigwHeaders.MODEL), 200, h.get(AigwHeaders.POLICY_USED),
                    h.get(AigwHeaders.CACHE));
            response.putHeader("x-request-id", request.requestId());
            for (Map.Entry<String, String> e : r.headers().entrySet()) {
                response.putHeader(e.getKey(), e.getValue());
            }
            if (!r.isStream()) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                response.setStatusCode(200).end(r.body());
                return;
            }
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            response.drainHandler(v -> askMore());
            r.chunks().subscribe().withSubscriber(this);
        }

        private void fail(Throwable t) {
            ApiError error;
            if (t instanceof ApiException e) {
                error = e.error();
                String cache = error.headers().get(AigwHeaders.CACHE);
                if (cache != null) {
                    serverSpan.setAttribute(CACHE_RESULT, cache.toLowerCase(java.util.Locale.ROOT));
                }
            } else {
                LOG.errorf("routing failed unexpectedly: %s", LogSafe.escape(t));
                error = ApiError.internal("Internal error.");
            }
            Map<String, String> h = error.headers();
            count(null, null, error.status(), h == null ? null : h.get(AigwHeaders.POLICY_USED),
                    h == null ? null : h.get(AigwHeaders.CACHE));
            ErrorWriter.write(response, error);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            stream = s;
            if (response.closed()) {
                s.cancel();
                return;
            }
            askMore();
        }

        private void askMore() {
            int n = WINDOW - outstanding;
            if (n > 0 && stream != null && !response.writeQueueFull()) {
                outstanding += n;
                stream.request(n);
            }
        }

        @Override
        public void onItem(ChatChunk chunk) {
            outstanding--;
            if (response.closed() || response.ended()) {
                return;
            }
            if (chunk.last()) {
                if (chunk.outcome() != null && chunk.outcome().costUsd() != null) {
                    // a stream's cost is known at its end: an HTTP trailer for the edge (never relayed to clients)
                    response.trailers().set(AigwHeaders.COST_USD, chunk.outcome().costUsd().toPlainString());
                }
                response.end(chunk.frame());
                return;
            }
            response.write(chunk.frame());
            askMore();
        }

        @Override
        public void onFailure(Throwable t) {
            LOG.errorf("stream relay failed unexpectedly: %s", LogSafe.escape(t));
            if (!response.closed() && !response.ended()) {
                response.reset();
            }
        }

        @Override
        public void onCompletion() {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        }
    }
}
