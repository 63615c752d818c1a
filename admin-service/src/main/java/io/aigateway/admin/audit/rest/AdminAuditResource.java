package io.aigateway.admin.audit.rest;

import io.aigateway.admin.openapi.AdminOpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.repository.AuditRepository;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/v1/ai/admin/audit?actor&action&target&from&to&cursor&limit}: admin changes, newest first,
 * {@code {"rows":[{id,at,actor,actorUser,action,target,before,after,status,requestId}],"nextCursor"}}.
 */
@Tag(name = AdminOpenApi.TAG_AUDIT)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAuditResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditRepository repository;

    public AdminAuditResource(AuditRepository repository) {
        this.repository = repository;
    }

    @Operation(summary = "Read the audit log",
                description = "Newest first. Never a secret: a new key's entry holds its id, user, name and roles.")
    @Parameter(name = "actor", in = ParameterIn.QUERY, description = "Key id or token user id.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "action", in = ParameterIn.QUERY, description = "e.g. provider.patch, key.create.",
                schema = @Schema(type = SchemaType.STRING), example = "provider.patch")
    @Parameter(name = "target", in = ParameterIn.QUERY, description = "e.g. provider:fakeb.",
                schema = @Schema(type = SchemaType.STRING), example = "provider:fakeb")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (ISO-8601 instant or date).",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (ISO-8601 instant or date).",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "nextCursor of the previous page.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1..1000, default 100.",
                schema = @Schema(type = SchemaType.INTEGER), example = "20")
    @APIResponse(responseCode = "200", description = "Audit entries.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"rows\":[{\"id\":42,\"at\":\"2026-12-03T10:00:00.123456Z\",\"actor\":\"key_8f2a1c3d\",\"actorUser\":\"admin\",\"action\":\"provider.patch\",\"target\":\"provider:fakeb\",\"before\":null,\"after\":{\"enabled\":false},\"status\":200,\"requestId\":\"3f2c9a\"}],\"nextCursor\":null}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @GET
    public Uni<ObjectNode> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                @QueryParam("target") String target, @QueryParam("from") String from,
                                @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                                @QueryParam("limit") Integer limit) {
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiError.badRequest("'limit' must be between 1 and " + MAX_LIMIT + ".", "limit").exception();
        }
        Instant f = instant(from, "from");
        Instant t = instant(to, "to");
        if (f != null && t != null && !f.isBefore(t)) {
            throw ApiError.badRequest("'from' must be before 'to'.", "from").exception();
        }
        var q = new AuditRepository.Query(text(actor, "actor"), text(action, "action"), text(target, "target"), f, t,
                cursor(cursor), n);
        return repository.find(q).map(rows -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<ObjectNode> page = rows.size() > n ? rows.subList(0, n) : rows;
            out.putArray("rows").addAll(page);
            if (rows.size() > n) {
                long last = page.get(page.size() - 1).get("id").asLong();
                out.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("id:" + last).getBytes(StandardCharsets.UTF_8)));
            } else {
                out.putNull("nextCursor");
            }
            return out;
        });
    }

    private static String text(String v, String param) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > 256) {
            throw ApiError.badRequest("'" + param + "' must be at most 256 characters.", param).exception();
        }
        return v;
    }

    static Instant instant(String v, String param) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("'" + param + "' must be an ISO-8601 instant or date.", param).exception();
        }
    }

    static Long cursor(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
            if (!s.startsWith("id:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(s.substring(3));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cursor' is not a cursor this API returned.", "cursor").exception();
        }
    }
}
