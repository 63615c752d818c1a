package io.aigateway.admin.providers.client;

import io.aigateway.support.http.RequestIds;
import io.aigateway.support.security.ServiceCredentials;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Calls adapter-service with the internal token and the request ID, within a deadline, and turns its failures
 * into client errors: adapter unreachable → 503 (retry-after), timed out → 504, bad answer → 502.
 */
@ApplicationScoped
public class AdapterClient {

    private static final Logger LOG = Logger.getLogger(AdapterClient.class);

    private final AdapterRestClient client;
    private final ServiceCredentials credentials;
    private final Duration timeout;

    public AdapterClient(@RestClient AdapterRestClient client, ServiceCredentials credentials, AdapterConfig config) {
        this.client = client;
        this.credentials = credentials;
        this.timeout = config.timeout();
    }

    /** The provider catalog and health, as adapter-service reports it. */
    public Uni<List<ProviderInfo>> providers() {
        return client.providers(credentials.token(), RequestIds.current())
                .ifNoItem().after(timeout).fail()
                .onFailure().transform(AdapterClient::toApiException);
    }

    /**
     * The effective catalog as adapter-service reports it, each provider as its JSON (with {@code override} and
     * {@code settings}) and read as {@link ProviderInfo}.
     */
    public Uni<List<CatalogEntry>> catalog() {
        return client.catalog(credentials.token(), RequestIds.current())
                .ifNoItem().after(timeout).fail()
                .onFailure().transform(AdapterClient::toApiException)
                .map(list -> list.stream().map(CatalogEntry::of).toList());
    }

    static ApiException toApiException(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof TimeoutException) {
            LOG.warn("adapter-service did not answer in time");
            return new ApiError(504, "api_error", "upstream_timeout", null,
                    "adapter-service did not answer in time.", null).exception();
        }
        if (t instanceof WebApplicationException wae && wae.getResponse() != null) {
            int status = wae.getResponse().getStatus();
            LOG.warnf("adapter-service answered %d", status);
            return new ApiError(502, "api_error", "upstream_error", null,
                    "adapter-service answered with status " + status + ".", null).exception();
        }
        LOG.warnf("adapter-service unavailable: %s", t.getClass().getSimpleName());
        return new ApiError(503, "api_error", "upstream_unavailable", null,
                "adapter-service is unavailable.", null).withHeader("retry-after", "5").exception();
    }
}
