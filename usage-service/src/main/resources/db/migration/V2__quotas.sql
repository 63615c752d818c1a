-- Quotas: usage-service is their source of truth; it mirrors them into Redis (QuotaKeys) for the edge.
-- A NULL limit is unlimited (for a user's overrides: not overridden). Money in USD, numeric(20,10) like usage_records.
CREATE TABLE IF NOT EXISTS usage.quota_tiers (
    name                 text           PRIMARY KEY CHECK (name ~ '^[a-z0-9_-]{1,32}$'),
    requests_per_minute  bigint         CHECK (requests_per_minute >= 0),
    tokens_per_minute    bigint         CHECK (tokens_per_minute >= 0),
    requests_per_day     bigint         CHECK (requests_per_day >= 0),
    tokens_per_day       bigint         CHECK (tokens_per_day >= 0),
    tokens_per_month     bigint         CHECK (tokens_per_month >= 0),
    spend_usd_per_day    numeric(20,10) CHECK (spend_usd_per_day >= 0),
    spend_usd_per_month  numeric(20,10) CHECK (spend_usd_per_month >= 0),
    updated_at           timestamptz    NOT NULL DEFAULT now()
);

INSERT INTO usage.quota_tiers (name, requests_per_minute, tokens_per_minute, requests_per_day, tokens_per_day,
                               tokens_per_month, spend_usd_per_day, spend_usd_per_month) VALUES
    ('free',           20,     40000,     500,     200000,     2000000,    1,    10),
    ('pro',           120,    400000,   10000,    5000000,   100000000,   50,  1000),
    ('enterprise',   1200,   4000000,  500000,  200000000,  5000000000, 2000, 50000),
    ('unlimited',    NULL,      NULL,    NULL,       NULL,        NULL, NULL,  NULL)
ON CONFLICT (name) DO NOTHING;

-- A user's tier (NULL: the configured default tier, aigw.quota.default-tier) and overrides over it.
CREATE TABLE IF NOT EXISTS usage.quota_users (
    user_id              text           PRIMARY KEY,
    tier                 text           REFERENCES usage.quota_tiers (name),
    requests_per_minute  bigint         CHECK (requests_per_minute >= 0),
    tokens_per_minute    bigint         CHECK (tokens_per_minute >= 0),
    requests_per_day     bigint         CHECK (requests_per_day >= 0),
    tokens_per_day       bigint         CHECK (tokens_per_day >= 0),
    tokens_per_month     bigint         CHECK (tokens_per_month >= 0),
    spend_usd_per_day    numeric(20,10) CHECK (spend_usd_per_day >= 0),
    spend_usd_per_month  numeric(20,10) CHECK (spend_usd_per_month >= 0),
    updated_at           timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS quota_users_tier_idx ON usage.quota_users (tier);

-- An API key's own limits (checked in addition to its user's).
CREATE TABLE IF NOT EXISTS usage.quota_keys (
    key_id               text           PRIMARY KEY,
    requests_per_minute  bigint         CHECK (requests_per_minute >= 0),
    tokens_per_minute    bigint         CHECK (tokens_per_minute >= 0),
    requests_per_day     bigint         CHECK (requests_per_day >= 0),
    tokens_per_day       bigint         CHECK (tokens_per_day >= 0),
    tokens_per_month     bigint         CHECK (tokens_per_month >= 0),
    spend_usd_per_day    numeric(20,10) CHECK (spend_usd_per_day >= 0),
    spend_usd_per_month  numeric(20,10) CHECK (spend_usd_per_month >= 0),
    updated_at           timestamptz    NOT NULL DEFAULT now()
);

-- The latest admin reset of one subject's window (subject as in QuotaKeys: u:{id} / k:{id}; window minute|day|month):
-- counters rebuilt from usage_records count only records from reset_at on.
CREATE TABLE IF NOT EXISTS usage.quota_resets (
    subject   text        NOT NULL,
    "window"  text        NOT NULL CHECK ("window" IN ('minute', 'day', 'month')),
    reset_at  timestamptz NOT NULL,
    PRIMARY KEY (subject, "window")
);

-- Threshold alerts sent, one per subject, window, metric and threshold: the row's insert decides which replica sends.
CREATE TABLE IF NOT EXISTS usage.quota_alerts (
    subject    text        NOT NULL,
    window_id  text        NOT NULL,
    metric     text        NOT NULL,
    threshold  integer     NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, window_id, metric, threshold)
);

-- Counter rebuilds and key usage sum records by key and time.
CREATE INDEX IF NOT EXISTS usage_records_key_occurred_idx ON usage.usage_records (key_id, occurred_at)
    WHERE key_id IS NOT NULL;
-- ... and every record of the current month (GROUP BY user over a time range).
CREATE INDEX IF NOT EXISTS usage_records_occurred_idx ON usage.usage_records (occurred_at);
