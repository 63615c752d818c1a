package io.aigateway.adapter.chat;

import io.aigateway.support.tracing.GenAiSpan;
import io.aigateway.support.tracing.Traces;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import io.aigateway.support.http.RequestIdFilter;
import io.aigateway.support.http.RequestIds;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.metrics.AdapterMetrics;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ChatResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderException;
import io.aigateway.adapter.provider.StreamHandle;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /internal/v1/providers/{providerId}/chat} (docs/internal-contracts.md, "routing → adapter"),
 * as a plain Vert.x route: the status and headers are decided only once the provider answered, and a
 * stream is relayed chunk by chunk with back-pressure, never buffered. Only routing-service's credential
 * reaches it (service-support's mechanism and the {@code provider-chat} permission run before any route).
 *
 * <p>Failures before any stream data are a non-2xx {@link ProviderError}: 504 for TIMEOUT, 404 for an
 * unknown provider or model (MODEL_NOT_FOUND), 400 for a body that is not a JSON object (BAD_REQUEST),
 * 503 with AUTH for a disabled provider (it cannot serve: no key or switched off; retrying will not help,
 * falling back will), else 502.
 */
@ApplicationScoped
public class ChatRoute {

    static final String PATH = "/internal/v1/providers/:id/chat";
    private static final Logger LOG = Logger.getLogger(ChatRoute.class);
    private static final String JSON = "application/json";

    private final ProviderCatalog catalog;
    private final ObjectMapper mapper;
    private final ObjectWriter plainWriter;
    private final AdapterMetrics metrics;
    private final int maxBodyBytes;

    private final Tracer tracer;

    public ChatRoute(ProviderCatalog catalog, ObjectMapper mapper, AdapterMetrics metrics, AigwConfig config,
                     Tracer tracer) {
        this.tracer = tracer;
        this.catalog = catalog;
        this.mapper = mapper;
        this.plainWriter = mapper.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        this.metrics = metrics;
        this.maxBodyBytes = config.chat().maxBodyBytes();
    }

    void register(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::handle)
                .failureHandler(this::failure);
    }

    void handle(RoutingContext ctx) {
        String requestId = RequestIdFilter.of(ctx);
        String providerId = ctx.pathParam("id");
        ProviderAdapter adapter = catalog.adapter(providerId);
        if (adapter == null) {
            sendError(ctx, requestId, new ProviderError(ErrorClass.MODEL_NOT_FOUND, null, null,
                    "unknown provider '" + providerId + "'", providerId, null));
            return;
        }
        RequestBody body = ctx.body();
        Buffer raw = body == null ? null : body.buffer();
        ObjectNode tree = parse(raw);
        if (tree == null) {
            sendError(ctx, requestId, 400, new ProviderError(ErrorClass.BAD_REQUEST, null, null,
                    "request body must be a JSON object", providerId, null));
            return;
        }
        ChatCompletionRequest request = new ChatCompletionRequest(tree);
        String modelId = request.model();
        ModelInfo model = adapter.model(modelId);
        if (model == null) {
            sendError(ctx, requestId, new ProviderError(ErrorClass.MODEL_NOT_FOUND, null, null,
                    "model '" + modelId + "' is not in the catalog of provider '" + providerId + "'", providerId, modelId));
            return;
        }
        if (!model.isEnabled()) {
            // a model an admin turned off is refused like an unknown one (routing never picks it)
            sendError(ctx, requestId, new ProviderError(ErrorClass.MODEL_NOT_FOUND, null, null,
                    "model '" + modelId + "' of provider '" + providerId + "' is disabled", providerId, modelId));
            return;
        }
        if (!adapter.settings().enabled()) {
            sendError(ctx, requestId, 503, new ProviderError(ErrorClass.AUTH, null, null,
                    "provider '" + providerId + "' is disabled: " + adapter.settings().disabledReason(), providerId, modelId));
            return;
        }
        ChatCall call = new ChatCall(requestId, model, request, raw);
        MDC.put(Traces.MDC_PROVIDER, providerId);
        MDC.put(Traces.MDC_MODEL, modelId);
        // the upstream call as a GenAI client span, child of this service's server span
        GenAiSpan span = GenAiSpan.chat(tracer, Context.current(), providerId, modelId)
                .attribute("aigw.stream", request.stream() ? "true" : "false");
        if (request.stream()) {
            stream(ctx, adapter, call, span);
        } else {
            json(ctx, adapter, call, span);
        }
    }

    private ObjectNode parse(Buffer raw) {
        if (raw == null || raw.length() == 0) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(raw.getBytes());
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void json(RoutingContext ctx, ProviderAdapter adapter, ChatCall call, GenAiSpan span) {
        long started = System.nanoTime();
        HttpServerResponse response = ctx.response();
        String requestId = call.requestId();
        Cancellable pending = adapter.chat(call).subscribe().with(
                result -> {
                    span.succeeded(call.model().id(), result.usage().promptTokens(), result.usage().completionTokens());
                    onJson(response, adapter, call, result, started);
                },
                failure -> {
                    ProviderError error = failure instanceof ProviderException pe ? pe.error()
                            : adapter.mapFailure(failure, call.model().id());
                    failed(span, error);
                    metrics.record(adapter.id(), false, error.errorClass(), System.nanoTime() - started);
                    logFailure(requestId, error);
                    sendError(ctx, requestId, error);
                });
        response.closeHandler(v -> {
            pending.cancel();
            span.failed("CANCELLED", "routing went away");
        });
    }

    static void failed(GenAiSpan span, ProviderError error) {
        if (error.providerStatus() != null) {
            span.attribute("http.response.status_code", error.providerStatus());
        }
        span.failed(String.valueOf(error.errorClass()), error.message());
    }

    private void onJson(HttpServerResponse response, ProviderAdapter adapter, ChatCall call, ChatResult result,
                        long started) {
        metrics.record(adapter.id(), false, null, System.nanoTime() - started);
        if (response.ended() || response.closed()) {
            return;
        }
        var usage = result.usage();
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(AigwHeaders.REQUEST_ID, call.requestId())
                .putHeader(AigwHeaders.COST_USD, adapter.estimateCost(call.model(), usage.promptTokens(),
                        usage.completionTokens()).toPlainString())
                .putHeader(AigwHeaders.USAGE_ESTIMATED, result.usageEstimated() ? "true" : "false")
                .putHeader(AigwHeaders.PROMPT_TOKENS, Integer.toString(usage.promptTokens()))
                .putHeader(AigwHeaders.COMPLETION_TOKENS, Integer.toString(usage.completionTokens()))
                .putHeader(AigwHeaders.UPSTREAM_MS, Long.toString(result.upstreamMs()))
                .end(result.body());
    }

    private void stream(RoutingContext ctx, ProviderAdapter adapter, ChatCall call, GenAiSpan span) {
        StreamRelay relay = new StreamRelay(this, ctx, adapter, call, span);
        StreamHandle handle = adapter.chatStream(call, relay);
        ctx.response().closeHandler(v -> {
            if (!relay.done()) {
                handle.cancel();
                relay.clientGone();
            }
        });
    }

    /** The non-2xx answer for a failure before any stream data. */
    void sendError(RoutingContext ctx, String requestId, ProviderError error) {
        // a request the provider's format cannot carry was never sent: our 400, not an upstream failure
        int status = error.errorClass() == ErrorClass.BAD_REQUEST && error.providerStatus() == null ? 400
                : statusOf(error.errorClass());
        sendError(ctx, requestId, status, error);
    }

    private void sendError(RoutingContext ctx, String requestId, int status, ProviderError error) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(AigwHeaders.REQUEST_ID, requestId);
        if (error.retryAfterMs() != null) {
            response.putHeader(AigwHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, TimeUnit.MILLISECONDS.toSeconds(error.retryAfterMs() + 999))));
        }
        response.end(Buffer.buffer(write(error)));
    }

    static int statusOf(ErrorClass errorClass) {
        return switch (errorClass) {
            case TIMEOUT -> 504;
            case MODEL_NOT_FOUND -> 404;
            default -> 502;
        };
    }

    /** Serialises a contract type; BigDecimal as a plain decimal. */
    byte[] write(Object value) {
        try {
            return plainWriter.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    AdapterMetrics metrics() {
        return metrics;
    }

    void logFailure(String requestId, ProviderError error) {
        MDC.put(RequestIds.MDC_KEY, requestId);
        LOG.infof("provider %s model %s failed: %s (status %s) %s", error.provider(), error.model(),
                error.errorClass(), error.providerStatus(), error.message());
    }

    private void failure(RoutingContext ctx) {
        String requestId = RequestIdFilter.of(ctx);
        int status = ctx.statusCode();
        ErrorClass cls = ErrorClass.BAD_REQUEST;
        String message = status == 413 ? "request body exceeds " + maxBodyBytes + " bytes" : "invalid request";
        if (status != 413 && status != 400) {
            LOG.errorf("chat route failed: %s", ctx.failure() == null ? status : ctx.failure().toString());
            message = "internal error";
            cls = ErrorClass.UPSTREAM_5XX;
        }
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            if (!response.ended()) {
                response.end();
            }
            return;
        }
        if (requestId != null) {
            response.putHeader(AigwHeaders.REQUEST_ID, requestId);
        }
        response.setStatusCode(status == 413 ? 413 : status == 400 ? 400 : 500)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(Buffer.buffer(write(new ProviderError(cls, null, null, message, ctx.pathParam("id"), null))));
    }
}
