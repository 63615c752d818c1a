package io.aigateway.usage.testsupport;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import org.eclipse.microprofile.config.ConfigProvider;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct access for quota tests: usage rows in PostgreSQL, the test prefix's keys in Redis. */
public final class QuotaTestData {

    private QuotaTestData() {
    }

    public static String prefix() {
        return ConfigProvider.getConfig().getValue("aigw.quota.prefix", String.class);
    }

    /** One usage row as the ingest path would store it. */
    public static void insertRecord(Pool pool, String userId, String keyId, Instant at, String provider, String model,
                                    int prompt, int completion, String costUsd, boolean cached, String outcome) {
        pool.preparedQuery("INSERT INTO usage.usage_records (event_id, request_id, occurred_at, user_id, key_id, "
                        + "provider, model, prompt_tokens, completion_tokens, total_tokens, cost_usd, cost_saved_usd, "
                        + "cached, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                .execute(Tuple.tuple().addValue(UUID.randomUUID()).addValue("req-" + UUID.randomUUID())
                        .addValue(OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).addValue(userId).addValue(keyId)
                        .addValue(provider).addValue(model).addValue(prompt).addValue(completion)
                        .addValue(prompt + completion).addValue(Numeric.create(new BigDecimal(costUsd)))
                        .addValue(cached ? Numeric.create(new BigDecimal("0.01")) : null)
                        .addValue(cached).addValue(outcome))
                .await().indefinitely();
    }

    /** Deletes every key under the tests' quota prefix (never FLUSHDB: db 1 is shared with other modules' tests). */
    public static int flushPrefix(RedisDataSource redis) {
        List<String> keys = new ArrayList<>();
        redis.key().scan(new KeyScanArgs().match(prefix() + "*").count(1000)).toIterable().forEach(keys::add);
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
        return keys.size();
    }
}
