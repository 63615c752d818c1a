package io.aigateway.edge.support;

import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.contracts.internal.KeyHashing;
import io.quarkus.redis.datasource.RedisDataSource;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Test API keys: mirrored in Redis (db 1) as admin-service would, or known only to the admin WireMock. */
public final class Keys {

    private Keys() {
    }

    public record TestKey(String key, String keyId, String userId) {
        public String bearer() {
            return "Bearer " + key;
        }
    }

    public static TestKey inRedis(RedisDataSource redis, String userId, String roles) {
        TestKey k = newKey(userId);
        redis.value(String.class).setex(ApiKeyRecord.REDIS_PREFIX + KeyHashing.sha256Hex(k.key()), 300,
                recordJson(k, roles));
        return k;
    }

    public static TestKey atAdmin(String userId, String roles) {
        TestKey k = newKey(userId);
        WireMockResource.admin().stubFor(get(urlPathEqualTo("/internal/v1/keys/" + KeyHashing.sha256Hex(k.key())))
                .atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(recordJson(k, roles))));
        return k;
    }

    public static TestKey newKey(String userId) {
        return new TestKey(KeyHashing.newKey(), "key-" + UUID.randomUUID(), userId);
    }

    private static String recordJson(TestKey k, String roles) {
        StringBuilder r = new StringBuilder();
        for (String role : roles.split(",")) {
            if (!role.isBlank()) {
                r.append(r.length() == 0 ? "" : ",").append('"').append(role.trim()).append('"');
            }
        }
        return "{\"keyId\":\"" + k.keyId() + "\",\"userId\":\"" + k.userId() + "\",\"roles\":[" + r
                + "],\"expiresAtEpochMs\":null}";
    }
}
