-- Usage and cost analytics (analytics/repository/AnalyticsRepository).
--
-- usage_hourly: one row per UTC hour x provider x model x context x outcome with the sums of usage_records.
-- It is kept IN THE SAME STATEMENT (so the same transaction) as the ingest insert, from the rows that insert
-- actually added (INSERT ... ON CONFLICT DO NOTHING RETURNING feeds it), so a redelivered event is never counted
-- twice. User and key are deliberately NOT part of the key: with thousands of users nearly every raw row is its own
-- (hour, user, model) group, so a user-keyed rollup is as large as the raw table and saves nothing; reports that
-- group or filter by user/key read usage_records through its (user_id, occurred_at) / (occurred_at) indexes.
-- NULL provider/model/context are stored as '' (a plain primary key; the API shows '' as null).
-- Money: numeric(30,10), the sums of numeric(20,10) keep scale 10 and are exact.
CREATE TABLE IF NOT EXISTS usage.usage_hourly (
    hour              timestamptz    NOT NULL,
    provider          text           NOT NULL,
    model             text           NOT NULL,
    context           text           NOT NULL,
    outcome           text           NOT NULL,
    requests          bigint         NOT NULL,
    errors            bigint         NOT NULL,
    cached_requests   bigint         NOT NULL,
    prompt_tokens     bigint         NOT NULL,
    completion_tokens bigint         NOT NULL,
    cost_usd          numeric(30,10) NOT NULL,
    cost_saved_usd    numeric(30,10) NOT NULL,
    latency_ms_sum    bigint         NOT NULL,
    CONSTRAINT usage_hourly_pkey PRIMARY KEY (hour, provider, model, context, outcome)
);

-- Backfill from the rows stored before this migration.
INSERT INTO usage.usage_hourly (hour, provider, model, context, outcome, requests, errors, cached_requests,
                                prompt_tokens, completion_tokens, cost_usd, cost_saved_usd, latency_ms_sum)
SELECT date_trunc('hour', occurred_at, 'UTC'), coalesce(provider, ''), coalesce(model, ''), coalesce(context, ''),
       outcome, count(*), count(*) FILTER (WHERE outcome <> 'SUCCESS'), count(*) FILTER (WHERE cached),
       coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(cost_usd), 0),
       coalesce(sum(cost_saved_usd), 0), coalesce(sum(latency_ms), 0)
FROM usage.usage_records
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (hour, provider, model, context, outcome) DO NOTHING;

-- Raw rows: the partial hours at the edges of a range, every report that groups or filters by user/key, the metrics
-- windows and the p95/p99 latency percentiles use the indexes that already exist: usage_records_occurred_idx
-- (occurred_at) and usage_records_key_occurred_idx (key_id, occurred_at) from V2, usage_records_user_occurred_idx
-- (user_id, occurred_at DESC) and usage_records_request_idx (request_id) from V1. No new index on the raw table.
