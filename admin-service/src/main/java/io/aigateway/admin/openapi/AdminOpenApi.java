package io.aigateway.admin.openapi;

/** Names used by the OpenAPI annotations of admin-service (see package-info): tags, security schemes, responses. */
public final class AdminOpenApi {

    public static final String TAG_KEYS = "API keys";
    public static final String TAG_PROVIDERS = "Providers";
    public static final String TAG_GROUPS = "Model groups";
    public static final String TAG_USAGE = "Usage and costs";
    public static final String TAG_MONITORING = "Metrics, health, alerts";
    public static final String TAG_CACHE = "Cache and breakers";
    public static final String TAG_QUOTAS = "Quotas";
    public static final String TAG_AUDIT = "Audit log";
    public static final String TAG_INTERNAL = "Internal";

    public static final String ADMIN_KEY = "adminApiKey";
    public static final String OIDC = "oidcBearer";
    public static final String SERVICE_TOKEN = "serviceToken";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String UNAVAILABLE = "Unavailable";
    public static final String UPSTREAM_ERROR = "UpstreamError";
    public static final String UPSTREAM_TIMEOUT = "UpstreamTimeout";

    private AdminOpenApi() {
    }
}
