package io.aigateway.support.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Documentation only (never serialised): the schema of OpenAI's error envelope as the services' OpenAPI documents
 * show it ({@code docs/openapi/}). The wire type is shared-contracts' {@code ErrorEnvelope}; this mirrors it with
 * descriptions and examples so that every document names one schema, {@value #NAME}.
 */
@Schema(name = ErrorEnvelopeDoc.NAME, description = "OpenAI's error envelope. Every error answer of the gateway's"
        + " services has this body; the four fields are always present.")
public record ErrorEnvelopeDoc(@Schema(required = true) Body error) {

    public static final String NAME = "ErrorEnvelope";
    /** The reference to use in {@code @Schema(ref = ...)}. */
    public static final String REF = "#/components/schemas/" + NAME;

    @Schema(name = "ErrorBody")
    public record Body(
            @Schema(required = true, description = "What went wrong, for people. Never carries a secret; client values"
                    + " are echoed at most 64 characters, escaped.", example = "'limit' must be between 1 and 1000.")
            String message,
            @Schema(required = true, description = "Error class as OpenAI names them: invalid_request_error (4xx),"
                    + " permission_error (403), rate_limit_error / insufficient_quota (429), api_error (5xx).",
                    example = "invalid_request_error")
            String type,
            @Schema(required = true, nullable = true, description = "The field or query parameter at fault (400), else null.",
                    example = "limit")
            String param,
            @Schema(required = true, nullable = true, description = "Machine-readable code, e.g. invalid_api_key, forbidden,"
                    + " invalid_request, model_not_found, rate_limit_exceeded, upstream_unavailable.",
                    example = "invalid_request")
            String code) {
    }
}
