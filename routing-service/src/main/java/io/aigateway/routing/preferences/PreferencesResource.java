package io.aigateway.routing.preferences;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.routing.config.RoutingConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The caller's own preferences (the edge forwards the authenticated user as {@code X-Aigw-Caller-User}; the internal
 * token filter guards the path):
 * <ul>
 * <li>{@code GET /internal/v1/preferences} → {@code {preferences:[…], defaults:{policy, model}}}</li>
 * <li>{@code PUT /internal/v1/preferences} {@code {context, provider, model}} → 200 with the stored preference
 * (plus {@code warning} when the provider is currently unhealthy or failing)</li>
 * <li>{@code DELETE /internal/v1/preferences/{context}} → 204, or 404 when there is none</li>
 * </ul>
 */
@RolesAllowed({ServiceRoles.EDGE})
@Path("/internal/v1/preferences")
@Produces(MediaType.APPLICATION_JSON)
public class PreferencesResource {

    private static final Set<String> FIELDS = Set.of("context", "provider", "model");

    public record PreferenceList(List<PreferenceService.View> preferences, Map<String, String> defaults) {
    }

    private final PreferenceService service;
    private final ObjectMapper mapper;
    private final String defaultPolicy;

    public PreferencesResource(PreferenceService service, ObjectMapper mapper, RoutingConfig routing) {
        this.service = service;
        this.mapper = mapper;
        this.defaultPolicy = routing.defaultPolicy();
    }

    @Operation(summary = "The caller's routing preferences",
                description = "User from X-Aigw-Caller-User. Callers: edge (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PreferenceList.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "503", description = "The preference store is unavailable (preferences_unavailable).")
    @GET
    public Uni<PreferenceList> list(@HeaderParam(AigwHeaders.CALLER_USER) String userId) {
        return service.list(userId).map(l -> new PreferenceList(l, service.defaults(defaultPolicy)));
    }

    @Operation(summary = "Set a routing preference",
                description = "User from X-Aigw-Caller-User. Callers: edge (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PreferenceService.View.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "503", description = "The preference store is unavailable (preferences_unavailable).")
    @PUT
    public Uni<PreferenceService.View> put(@HeaderParam(AigwHeaders.CALLER_USER) String userId, String body) {
        PreferenceService.checkUser(userId);
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (Exception e) {
            throw ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json").exception();
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object {context, provider, model}.", null,
                    "invalid_json").exception();
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiError.badRequest("Unknown field '" + f + "'; expected context, provider and model.", f,
                        "unknown_parameter").exception();
            }
        }
        return service.put(userId, text(node, "context"), text(node, "provider"), text(node, "model"));
    }

    @Operation(summary = "Delete a routing preference",
                description = "User from X-Aigw-Caller-User. Callers: edge (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "204", description = "Done.")
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "503", description = "The preference store is unavailable (preferences_unavailable).")
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @DELETE
    @Path("/{context}")
    public Uni<Response> delete(@HeaderParam(AigwHeaders.CALLER_USER) String userId, @PathParam("context") String context) {
        return service.delete(userId, context).map(v -> Response.noContent().build());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest("Missing field '" + field + "'.", field, "missing_parameter").exception();
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 256) {
            throw ApiError.badRequest("The field '" + field + "' must be a non-empty string.", field,
                    "invalid_" + field).exception();
        }
        return v.asText();
    }
}
