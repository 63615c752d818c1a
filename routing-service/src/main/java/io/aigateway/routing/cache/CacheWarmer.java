package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.pipeline.ChatPipeline;
import io.aigateway.routing.pipeline.ChatReply;
import io.aigateway.routing.pipeline.ChatRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fills the cache with common prompts by sending each through the {@link ChatPipeline} in-process (the cached
 * pipeline, so routing, fallback, cost, usage and the store are exactly those of a client request), at most
 * {@code aigw.cache.warming.concurrency} at once and {@code rate-per-second} started per second.
 *
 * <p>Body: {@code {"model": "...", "prompts": ["text" | {"messages":[...]}, ...], "system": "optional system
 * prompt", "options": {generation options, e.g. temperature}, "ttlSeconds": optional, "user": optional (the
 * user a user-scoped entry is for)}}. Each text prompt becomes {@code [system?, {"role":"user","content":text}]}.
 * Each request has context {@code cache-warming}, caller roles {@code system}, the default routing policy.
 */
@ApplicationScoped
public class CacheWarmer {

    public record Result(int index, int status, String cache, String key) {
    }

    public record Report(int requested, int fetched, int alreadyCached, int failed, List<Result> results) {
    }

    static final String CONTEXT = "cache-warming";

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final CacheConfig config;
    private final ChatPipeline pipeline;
    private final RoutePolicy policy;

    public CacheWarmer(Vertx vertx, ObjectMapper mapper, CacheConfig config, RoutingConfig routing, ChatPipeline pipeline) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.config = config;
        this.pipeline = pipeline;
        RoutePolicy p = RoutePolicy.fromWire(routing.defaultPolicy());
        if (p == null) {
            throw new IllegalStateException("aigw.routing.default-policy: unknown policy '" + routing.defaultPolicy() + "'");
        }
        this.policy = p;
    }

    public Uni<Report> warm(JsonNode body) {
        List<ObjectNode> requests = requests(body);
        String user = body.path("user").isTextual() ? body.get("user").textValue() : config.warming().user();
        String ttl = body.path("ttlSeconds").canConvertToLong() ? Long.toString(body.get("ttlSeconds").asLong()) : null;
        int concurrency = Math.max(1, config.warming().concurrency());
        double rate = config.warming().ratePerSecond();
        long intervalNanos = rate <= 0 ? 0 : (long) (1_000_000_000L / rate);
        long t0 = System.nanoTime();
        String batch = UUID.randomUUID().toString().substring(0, 8);
        // the pipeline runs on a Vert.x context (the caller's event loop), never on the pacing timer's thread
        Context context = vertx.getOrCreateContext();
        return Multi.createFrom().range(0, requests.size())
                .onItem().transformToUni(i -> {
                    long waitNanos = t0 + i * intervalNanos - System.nanoTime();
                    Uni<Void> pace = waitNanos <= 0 ? Uni.createFrom().voidItem()
                            : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(waitNanos));
                    return pace.chain(() -> send(context, i, requests.get(i), user, ttl, "warm-" + batch + "-" + i));
                }).merge(concurrency)
                .collect().asList()
                .map(list -> {
                    List<Result> sorted = new ArrayList<>(list);
                    sorted.sort(Comparator.comparingInt(Result::index));
                    int fetched = 0;
                    int cached = 0;
                    int failed = 0;
                    for (Result r : sorted) {
                        if (r.status() != 200) {
                            failed++;
                        } else if (ResponseCache.HIT.equals(r.cache()) || ResponseCache.COALESCED.equals(r.cache())) {
                            cached++;
                        } else {
                            fetched++;
                        }
                    }
                    return new Report(sorted.size(), fetched, cached, failed, sorted);
                });
    }

    private Uni<Result> send(Context context, int index, ObjectNode request, String user, String ttl, String requestId) {
        return Uni.createFrom().emitter(em -> context.runOnContext(v -> {
            ChatRequest r = new ChatRequest(new CallerHeaders(requestId, user, null, "system"), CONTEXT, policy,
                    new ChatCompletionRequest(request), List.of(), ttl, System.nanoTime());
            Uni<ChatReply> answer;
            try {
                answer = pipeline.chat(r);
            } catch (RuntimeException e) {
                answer = Uni.createFrom().failure(e);
            }
            answer.subscribe().with(
                    reply -> em.complete(new Result(index, 200, reply.header(AigwHeaders.CACHE),
                            reply.header(ResponseCache.KEY_HEADER))),
                    t -> {
                        if (t instanceof ApiException e) {
                            Map<String, String> h = e.error().headers();
                            em.complete(new Result(index, e.error().status(), h.get(AigwHeaders.CACHE),
                                    h.get(ResponseCache.KEY_HEADER)));
                        } else {
                            em.complete(new Result(index, 500, null, null));
                        }
                    });
        }));
    }

    /** One chat request per prompt. */
    List<ObjectNode> requests(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("Expected {\"model\", \"prompts\": [...]}.", null).exception();
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ApiError.badRequest("'model' is required.", "model").exception();
        }
        JsonNode prompts = body.get("prompts");
        if (prompts == null || !prompts.isArray() || prompts.isEmpty()) {
            throw ApiError.badRequest("'prompts' must be a non-empty array.", "prompts").exception();
        }
        if (prompts.size() > config.warming().maxPrompts()) {
            throw ApiError.badRequest("At most " + config.warming().maxPrompts() + " prompts per call.", "prompts").exception();
        }
        JsonNode options = body.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw ApiError.badRequest("'options' must be an object.", "options").exception();
        }
        String system = body.path("system").isTextual() ? body.get("system").textValue() : null;
        List<ObjectNode> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            JsonNode p = prompts.get(i);
            ObjectNode r = options != null && options.isObject() ? ((ObjectNode) options).deepCopy() : mapper.createObjectNode();
            r.remove("stream");
            r.remove("stream_options");
            r.set("model", model);
            if (p.isTextual()) {
                ArrayNode msgs = r.putArray("messages");
                if (system != null) {
                    msgs.addObject().put("role", "system").put("content", system);
                }
                msgs.addObject().put("role", "user").put("content", p.textValue());
            } else if (p.isObject() && p.path("messages").isArray() && !p.get("messages").isEmpty()) {
                r.set("messages", p.get("messages"));
            } else {
                throw ApiError.badRequest("'prompts[" + i + "]' must be a string or {\"messages\": [...]}.",
                        "prompts[" + i + "]").exception();
            }
            out.add(r);
        }
        return out;
    }
}
