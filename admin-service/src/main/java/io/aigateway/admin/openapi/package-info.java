/**
 * admin-service's OpenAPI document ({@code /q/openapi}, committed as {@code docs/openapi/admin-service.yaml}): info,
 * server, security schemes, tags and the error answers the routes share ({@link io.aigateway.admin.openapi.AdminOpenApi}
 * names them). SmallRye reads a class-free {@code @OpenAPIDefinition} only from a package-info. Documentation only.
 */
@OpenAPIDefinition(
        info = @Info(title = "AI Gateway admin API", version = "1",
                description = "Administration of the AI Gateway (admin-service): API keys, providers at run time,"
                        + " model groups, usage and costs, metrics, health history, alerts, cache and circuit"
                        + " breakers, quotas and the audit log. Every /api/v1/ai/admin route needs the admin role:"
                        + " an admin API key (aigw_...) or an OIDC access token whose realm_access.roles hold admin,"
                        + " both as Authorization: Bearer. Errors use OpenAI's envelope. Guide: docs/admin-api.md."),
        servers = @Server(url = "http://127.0.0.1:8084", description = "admin-service on the local stack"),
        tags = {
                @Tag(name = AdminOpenApi.TAG_KEYS, description = "API keys of every user (the key is shown once, at creation)"),
                @Tag(name = AdminOpenApi.TAG_PROVIDERS, description = "Providers at run time: overrides published on ai.config.v1"),
                @Tag(name = AdminOpenApi.TAG_GROUPS, description = "Model groups set by admins"),
                @Tag(name = AdminOpenApi.TAG_USAGE, description = "Usage and costs (relayed to usage-service)"),
                @Tag(name = AdminOpenApi.TAG_MONITORING, description = "Metrics, provider health history and alerts"),
                @Tag(name = AdminOpenApi.TAG_CACHE, description = "Response cache and circuit breakers (relayed to routing-service)"),
                @Tag(name = AdminOpenApi.TAG_QUOTAS, description = "Quota tiers and per-user / per-key quotas (relayed to usage-service)"),
                @Tag(name = AdminOpenApi.TAG_AUDIT, description = "The audit log of every admin change"),
                @Tag(name = AdminOpenApi.TAG_INTERNAL, description = "Internal routes for the gateway's own services"
                        + " (service credential; not callable with an admin key or token)"),
        },
        components = @Components(
                securitySchemes = {
                        @SecurityScheme(securitySchemeName = AdminOpenApi.ADMIN_KEY, type = SecuritySchemeType.HTTP,
                                scheme = "bearer", bearerFormat = "aigw_ API key",
                                description = "An API key with role admin: Authorization: Bearer aigw_..."),
                        @SecurityScheme(securitySchemeName = AdminOpenApi.OIDC, type = SecuritySchemeType.HTTP,
                                scheme = "bearer", bearerFormat = "JWT",
                                description = "An OIDC access token of the configured issuer (AIGW_OIDC_ISSUER, Keycloak"
                                        + " realm aigw) with audience aigw and realm role admin. Off without an issuer."),
                        @SecurityScheme(securitySchemeName = AdminOpenApi.SERVICE_TOKEN, type = SecuritySchemeType.APIKEY,
                                in = SecuritySchemeIn.HEADER, apiKeyName = "X-Aigw-Internal-Token",
                                description = "The calling service's credential (service-support); each internal route"
                                        + " names the callers it accepts."),
                },
                responses = {
                        @APIResponse(name = AdminOpenApi.BAD_REQUEST, description = "Bad input; param names the field or"
                                + " query parameter.", content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                        @APIResponse(name = AdminOpenApi.UNAUTHORIZED, description = "No credential, an unknown, revoked or"
                                + " expired key, or an invalid token (code invalid_api_key).",
                                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                        @APIResponse(name = AdminOpenApi.FORBIDDEN, description = "A valid credential without the role this"
                                + " route needs (permission_error, code forbidden).",
                                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                        @APIResponse(name = AdminOpenApi.NOT_FOUND, description = "No such resource.",
                                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                        @APIResponse(name = AdminOpenApi.UNAVAILABLE, description = "The OIDC issuer cannot be reached to"
                                + " check a token (identity_provider_unavailable), or a service this route needs is down"
                                + " (upstream_unavailable); retry-after says when to retry.",
                                headers = @Header(name = "retry-after", description = "Seconds to wait",
                                        schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
                                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                        @APIResponse(name = AdminOpenApi.UPSTREAM_ERROR, description = "The owning service refused"
                                + " admin-service's credential or failed (upstream_error).",
                                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                        @APIResponse(name = AdminOpenApi.UPSTREAM_TIMEOUT, description = "The owning service did not answer"
                                + " in time (upstream_timeout).",
                                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class))),
                }))
package io.aigateway.admin.openapi;

import io.aigateway.support.openapi.ErrorEnvelopeDoc;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

