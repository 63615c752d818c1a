package io.aigateway.support.client;

import io.aigateway.support.security.ServiceAuthConfig;
import io.aigateway.support.security.ServiceCredentials;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InternalEndpointTest {

    private static ServiceCredentials credentials(String token) {
        return new ServiceCredentials(new ServiceAuthConfig() {
            @Override
            public Optional<String> token() {
                return Optional.ofNullable(token);
            }

            @Override
            public boolean acceptCallers() {
                return true;
            }

            @Override
            public Map<String, Caller> callers() {
                return Map.of();
            }
        });
    }

    @Test
    void requestsCarryTheCredentialAndThePathUnderTheBaseUrl() {
        InternalEndpoint e = InternalEndpoint.of("routing", "https://routing.internal/base/", credentials("own-secret-0123456789"));
        RequestOptions o = e.request(HttpMethod.POST, "/internal/v1/route/chat");
        assertEquals("routing.internal", o.getHost());
        assertEquals(443, o.getPort());
        assertTrue(o.isSsl());
        assertEquals("/base/internal/v1/route/chat", o.getURI());
        assertEquals("own-secret-0123456789", o.getHeaders().get(ServiceCredentials.HEADER));
        InternalEndpoint plain = InternalEndpoint.of("adapter", "http://127.0.0.1:8082", credentials("own-secret-0123456789"));
        assertEquals(8082, plain.port());
        assertEquals("", plain.basePath());
        assertEquals("aigw-adapter", plain.clientOptions(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30)).getName());
        assertEquals(30, plain.clientOptions(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30)).getKeepAliveTimeout());
    }

    @Test
    void aServiceWithoutACredentialCannotCallOthers() {
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> InternalEndpoint.of("adapter", "http://127.0.0.1:8082", credentials(null)));
        assertTrue(x.getMessage().contains("aigw.service-auth.token"));
        assertThrows(IllegalArgumentException.class, () -> InternalEndpoint.of("x", "not a url", credentials("t")));
    }
}
