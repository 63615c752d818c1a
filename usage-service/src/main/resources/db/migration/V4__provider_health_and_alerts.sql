-- Provider health history (ProviderHealthEvent on ai.health.v1: transitions and 5-minute snapshots from
-- adapter-service). Idempotent on event_id. Rows older than aigw.health-history.retention are purged.
CREATE TABLE IF NOT EXISTS usage.provider_health (
    id                   bigserial    PRIMARY KEY,
    event_id             uuid         NOT NULL,
    provider             text         NOT NULL,
    type                 text         NOT NULL,
    healthy              boolean      NOT NULL,
    previous_healthy     boolean,
    detail               text,
    latency_ms           bigint,
    consecutive_failures integer      NOT NULL DEFAULT 0,
    checked_at           timestamptz,
    occurred_at          timestamptz  NOT NULL,
    instance             text,
    received_at          timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT provider_health_event_id_key UNIQUE (event_id)
);

-- Keyset pages newest first, all providers or one; the first also serves the retention purge.
CREATE INDEX IF NOT EXISTS provider_health_occurred_idx ON usage.provider_health (occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS provider_health_provider_occurred_idx
    ON usage.provider_health (provider, occurred_at DESC, id DESC);

-- Alerts on ai.alerts.v1 (provider_unhealthy from adapter-service, quota_threshold from usage-service), each as
-- sent (payload). subject: provider:<id>, user:<id> or key:<id>. Idempotent on alert_id.
CREATE TABLE IF NOT EXISTS usage.alerts (
    id          bigserial    PRIMARY KEY,
    alert_id    uuid         NOT NULL,
    type        text         NOT NULL,
    subject     text         NOT NULL,
    occurred_at timestamptz  NOT NULL,
    payload     jsonb        NOT NULL,
    received_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT alerts_alert_id_key UNIQUE (alert_id)
);

CREATE INDEX IF NOT EXISTS alerts_occurred_idx ON usage.alerts (occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS alerts_type_occurred_idx ON usage.alerts (type, occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS alerts_subject_occurred_idx ON usage.alerts (subject, occurred_at DESC, id DESC);
