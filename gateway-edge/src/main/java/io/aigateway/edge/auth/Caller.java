package io.aigateway.edge.auth;

import io.aigateway.contracts.internal.ApiKeyRecord;

import java.util.TreeSet;

/** An authenticated caller: the key record plus the header values forwarded to routing, computed once per lookup. */
public record Caller(ApiKeyRecord key, String rolesHeader) {

    public static Caller of(ApiKeyRecord key) {
        return new Caller(key, String.join(",", new TreeSet<>(key.roles())));
    }

    public String userId() {
        return key.userId();
    }

    public String keyId() {
        return key.keyId();
    }
}
