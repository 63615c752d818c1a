package io.aigateway.edge.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.edge.auth.Caller;
import io.aigateway.edge.chat.ChatCompletionsHandler;
import io.aigateway.edge.chat.ChatRequestReader;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code POST /api/v1/ai/generate}, the native API, on the chat route's pipeline ({@link ChatCompletionsHandler}:
 * request ID, API key, body limit, quota reservation settled by routing's usage event, the call to routing with its
 * cache): the body is read by {@link GenerateRequestReader} into an OpenAI chat request, and routing's answer is
 * turned into the native answer ({@link GenerateAnswer}), as JSON or as SSE ({@link GenerateStream}). Errors are
 * routing's envelope and status, as on {@code /v1}.
 */
@ApplicationScoped
public class GenerateHandler {

    public static final String PATH = "/api/v1/ai/generate";
    static final String NO_CACHE = "no-cache, no-store";

    private final ChatCompletionsHandler pipeline;
    private final GenerateRequestReader reader;
    private final ChatRequestReader chatWriter;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final ObjectMapper mapper;

    public GenerateHandler(ChatCompletionsHandler pipeline, GenerateRequestReader reader, ChatRequestReader chatWriter,
                           ErrorResponder errors, PublicRequests publicRequests, ObjectMapper mapper) {
        this.pipeline = pipeline;
        this.reader = reader;
        this.chatWriter = chatWriter;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.post(PATH).handler(rc -> pipeline.accept(rc, "generate", this::onBody));
        router.route(PATH).handler(rc -> {
            publicRequests.begin(rc, "other");
            rc.response().putHeader("allow", "POST");
            errors.send(rc, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                    "Method " + rc.request().method().name() + " not allowed on " + PATH + " (use POST).", null));
        });
    }

    private void onBody(RoutingContext rc, String rid, Caller caller, Buffer body, long startNanos) {
        GenerateRequest g;
        try {
            g = reader.read(body);
        } catch (ApiException e) {
            errors.send(rc, e.error());
            return;
        }
        MultiMap h = pipeline.routingHeaders(rid, caller, g.stream());
        if (g.context() != null) {
            h.set(AigwHeaders.CONTEXT, g.context());
        }
        if (g.policy() != null) {
            h.set(AigwHeaders.POLICY, g.policy().wireName());
        }
        if (!g.useCache()) {
            h.set(AigwHeaders.CACHE_CONTROL, NO_CACHE);
        }
        pipeline.reserveAndCall(rc, caller, g.chat(), h, chatWriter.write(g.chat()), in -> {
            boolean ok = in.statusCode() / 100 == 2;
            String ctype = in.getHeader("content-type");
            if (ok && g.stream() && ctype != null && ctype.regionMatches(true, 0, "text/event-stream", 0, 17)) {
                new GenerateStream(rc, in, mapper, new GenerateAnswer(rid, startNanos).head(in, mapper), startNanos)
                        .start();
            } else if (ok) {
                answerJson(rc, in, new GenerateAnswer(rid, startNanos), startNanos);
            } else {
                relayError(rc, in, startNanos);
            }
        });
    }

    private void answerJson(RoutingContext rc, HttpClientResponse in, GenerateAnswer answer, long startNanos) {
        in.body().onComplete(ar -> {
            if (ar.failed()) {
                pipeline.upstreamFailed(rc, ar.cause());
                return;
            }
            HttpServerResponse resp = rc.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            JsonNode completion;
            try {
                completion = mapper.readTree(ar.result().getBytes());
            } catch (Exception e) {
                completion = null;
            }
            if (completion == null || !completion.isObject()) {
                errors.send(rc, new ApiError(502, "api_error", "bad_upstream_answer", null,
                        "The gateway's routing service answered with something that is not a chat completion.", null));
                return;
            }
            answer.head(in, mapper).completion(completion);
            resp.setStatusCode(200);
            ChatCompletionsHandler.copyRelayedHeaders(in, resp, startNanos);
            resp.putHeader("content-type", "application/json");
            resp.end(GenerateAnswer.write(mapper, answer.toJson(true)));
        });
    }

    /** Routing's error as it came: the {@code /v1} envelope and status, with the relayed headers. */
    private void relayError(RoutingContext rc, HttpClientResponse in, long startNanos) {
        in.body().onComplete(ar -> {
            if (ar.failed()) {
                pipeline.upstreamFailed(rc, ar.cause());
                return;
            }
            HttpServerResponse resp = rc.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            resp.setStatusCode(in.statusCode());
            ChatCompletionsHandler.copyRelayedHeaders(in, resp, startNanos);
            resp.putHeader("content-type", "application/json");
            resp.end(ar.result());
        });
    }
}
