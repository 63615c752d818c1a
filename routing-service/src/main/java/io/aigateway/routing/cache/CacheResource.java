package io.aigateway.routing.cache;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cache administration (internal token; admin-service exposes it later):
 * {@code GET /internal/v1/cache/stats}, {@code POST /internal/v1/cache/invalidate} with exactly one of
 * {@code {"key"}} (the hex key of {@code x-aigw-cache-key}), {@code {"model"}}, {@code {"provider"}},
 * {@code {"prefix"}} (every key starting with 1 to 64 lowercase hex characters), {@code {"all":true}}, and
 * {@code POST /internal/v1/cache/warm}.
 */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/cache")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {

    public record InvalidateRequest(String key, String model, String provider, String prefix, Boolean all) {
    }

    public record Invalidated(String by, String value, long removed) {
    }

    private static final String EXACTLY_ONE = "Expected exactly one of key, model, provider, prefix, all.";

    private final ResponseCache cache;
    private final CacheWarmer warmer;

    public CacheResource(ResponseCache cache, CacheWarmer warmer) {
        this.cache = cache;
        this.warmer = warmer;
    }

    @Operation(summary = "Cache statistics",
                description = "Instance, shared (Redis) and memory statistics with hit rates. Callers: admin, ops "
                        + "(X-Aigw-Internal-Token).")
    @GET
    @Path("/stats")
    public Uni<Map<String, Object>> stats() {
        CacheMetrics m = cache.metrics();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", cache.config().enabled());
        out.put("scope", cache.userScope() ? "user" : "global");
        boolean up = cache.gate().available();
        out.put("redis", up ? "UP" : "DOWN");
        out.put("redisErrors", cache.gate().errors());
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("hits", m.hitCount.get());
        instance.put("misses", m.missCount.get());
        instance.put("bypasses", m.bypassCount.get());
        instance.put("coalesced", m.coalescedCount.get());
        instance.put("stores", m.storeCount.get());
        instance.put("storeSkipped", m.skippedCount.get());
        instance.put("hitRate", m.hitRate());
        instance.put("inFlight", cache.inFlight());
        out.put("instance", instance);
        if (!up || !cache.config().enabled()) {
            return Uni.createFrom().item(out);
        }
        CacheStore store = cache.store();
        Map<String, Long> pending = m.drainPending();
        return store.addCounts(pending)
                .onFailure().invoke(t -> m.restorePending(pending))
                .chain(store::prune)
                .chain(store::shared)
                .chain(shared -> store.sampleMemory(5).map(sample -> {
                    long hits = shared.getOrDefault("hits", 0L);
                    long lookups = hits + shared.getOrDefault("misses", 0L) + shared.getOrDefault("coalesced", 0L);
                    Map<String, Object> s = new LinkedHashMap<>();
                    for (String k : new String[] {"hits", "misses", "bypasses", "coalesced", "stores", "expirations",
                            "invalidations", "keys", "bytes"}) {
                        s.put(k, shared.getOrDefault(k, 0L));
                    }
                    s.put("hitRate", lookups == 0 ? 0.0 : (double) hits / lookups);
                    out.put("shared", s);
                    long keys = shared.getOrDefault("keys", 0L);
                    Map<String, Object> mem = new LinkedHashMap<>();
                    mem.put("valueBytes", shared.getOrDefault("bytes", 0L));
                    mem.put("sampledKeys", sample[0]);
                    mem.put("sampledBytes", sample[1]);
                    mem.put("estimatedBytes", sample[0] == 0 ? 0 : sample[1] * keys / sample[0]);
                    out.put("memory", mem);
                    m.sharedEntries.set(keys);
                    m.sharedBytes.set(shared.getOrDefault("bytes", 0L));
                    m.sharedExpirations.set(shared.getOrDefault("expirations", 0L));
                    return out;
                }))
                .onFailure().recoverWithItem(t -> {
                    out.put("redis", "DOWN");
                    return out;
                });
    }

    @Operation(summary = "Invalidate cache entries",
                description = "Exactly one of key (64 hex), model, provider, prefix (1 to 64 lowercase hex: every key "
                        + "that starts with it) or all:true. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Invalidated.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @POST
    @Path("/invalidate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Invalidated> invalidate(InvalidateRequest r) {
        if (r == null) {
            throw ApiError.badRequest(EXACTLY_ONE, null).exception();
        }
        // a prefix is there when given at all: an empty one is a bad prefix (400 naming it), not a missing selector
        int n = (blank(r.key()) ? 0 : 1) + (blank(r.model()) ? 0 : 1) + (blank(r.provider()) ? 0 : 1)
                + (r.prefix() == null ? 0 : 1) + (Boolean.TRUE.equals(r.all()) ? 1 : 0);
        if (n != 1) {
            throw ApiError.badRequest(EXACTLY_ONE, null).exception();
        }
        if (r.prefix() != null && !r.prefix().trim().matches("[0-9a-f]{1,64}")) {
            throw ApiError.badRequest("'prefix' must be 1 to 64 lowercase hex characters (the start of x-aigw-cache-key).",
                    "prefix").exception();
        }
        if (!cache.gate().available()) {
            throw unavailable();
        }
        CacheStore store = cache.store();
        Uni<Long> removed;
        String by;
        String value;
        if (!blank(r.key())) {
            by = "key";
            value = r.key().trim();
            if (!value.matches("[0-9a-f]{64}")) {
                throw ApiError.badRequest("'key' must be the 64-hex cache key (x-aigw-cache-key).", "key").exception();
            }
            removed = store.invalidateKey(value);
        } else if (!blank(r.model())) {
            by = "model";
            value = r.model().trim();
            removed = store.invalidateIndex(store.modelIndex(value));
        } else if (!blank(r.provider())) {
            by = "provider";
            value = r.provider().trim();
            removed = store.invalidateIndex(store.providerIndex(value));
        } else if (r.prefix() != null) {
            by = "prefix";
            value = r.prefix().trim();
            removed = store.invalidatePrefix(value);
        } else {
            by = "all";
            value = null;
            removed = store.invalidateAll();
        }
        return removed.map(c -> new Invalidated(by, value, c))
                .onFailure(t -> !(t instanceof io.aigateway.contracts.error.ApiException))
                .transform(t -> unavailable());
    }

    @Operation(summary = "Warm the cache",
                description = "Replays the configured warm-up prompts through the routed pipeline. Callers: admin, ops "
                        + "(X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CacheWarmer.Report.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @POST
    @Path("/warm")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CacheWarmer.Report> warm(JsonNode body) {
        if (!cache.config().enabled()) {
            throw new ApiError(409, "invalid_request_error", "cache_disabled", null, "The cache is disabled.", null).exception();
        }
        return warmer.warm(body);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static io.aigateway.contracts.error.ApiException unavailable() {
        return new ApiError(503, "api_error", "cache_unavailable", null, "The cache store (Redis) is unavailable.", null)
                .withHeader("retry-after", "5").exception();
    }
}
