package io.aigateway.admin.providers.client;

import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.TimeoutException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdapterClientErrorsTest {

    @Test
    void mapsAdapterFailuresToGatewayStatuses() {
        ApiError down = AdapterClient.toApiException(new ProcessingException(new ConnectException("refused"))).error();
        assertEquals(503, down.status());
        assertEquals("upstream_unavailable", down.code());
        assertEquals("5", down.headers().get("retry-after"));
        assertEquals(504, AdapterClient.toApiException(new TimeoutException()).error().status());
        assertEquals(502, AdapterClient.toApiException(new WebApplicationException(500)).error().status());
        assertEquals(502, AdapterClient.toApiException(new WebApplicationException(401)).error().status());
    }
}
