package io.aigateway.edge.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * {@code GET /config.json}: the web UI's run-time settings (src/main/webui/src/config.ts), public like the UI
 * itself: the OIDC issuer the UI signs in against ({@code AIGW_OIDC_ISSUER}; null = API keys only), the UI's
 * OIDC client, and the URL of admin-service the admin pages call (its CORS allows the edge's origin). Nothing
 * secret: the issuer and the client are what any OIDC login page shows.
 */
@ApplicationScoped
public class UiConfigHandler {

    public static final String PATH = "/config.json";

    private final String body;

    public UiConfigHandler(ObjectMapper mapper,
                           @ConfigProperty(name = "aigw.ui.oidc-issuer") Optional<String> issuer,
                           @ConfigProperty(name = "aigw.ui.oidc-client-id", defaultValue = "aigw-ui") String clientId,
                           @ConfigProperty(name = "aigw.ui.admin-url") Optional<String> adminUrl) {
        ObjectNode o = mapper.createObjectNode();
        o.put("oidcIssuer", issuer.filter(s -> !s.isBlank()).orElse(null));
        o.put("oidcClientId", clientId);
        o.put("adminUrl", adminUrl.filter(s -> !s.isBlank()).orElse(""));
        this.body = o.toString();
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(rc -> rc.response()
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-cache")
                .end(body));
    }
}
