package io.aigateway.routing.adapter;

import io.aigateway.contracts.internal.AigwHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * The request ID and the caller identity forwarded on every hop to the adapter, and the edge's quota reservation
 * (settled when the request's usage event is made; never forwarded).
 */
public record CallerHeaders(String requestId, String userId, String keyId, String roles, String reservation) {

    public CallerHeaders(String requestId, String userId, String keyId, String roles) {
        this(requestId, userId, keyId, roles, null);
    }

    void applyTo(RequestOptions o) {
        o.putHeader(AigwHeaders.REQUEST_ID, requestId);
        if (userId != null) {
            o.putHeader(AigwHeaders.CALLER_USER, userId);
        }
        if (keyId != null) {
            o.putHeader(AigwHeaders.CALLER_KEY, keyId);
        }
        if (roles != null) {
            o.putHeader(AigwHeaders.CALLER_ROLES, roles);
        }
    }
}
