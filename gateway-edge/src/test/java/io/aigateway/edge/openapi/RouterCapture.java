package io.aigateway.edge.openapi;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Test-only bean: keeps the application's Vert.x router so that a test can list the routes the edge registered. */
@ApplicationScoped
public class RouterCapture {

    private volatile Router router;

    void capture(@Observes Router router) {
        this.router = router;
    }

    public Router router() {
        return router;
    }
}
