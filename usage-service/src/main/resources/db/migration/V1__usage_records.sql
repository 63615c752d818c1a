-- One row per finished request (UsageEvent on ai.usage.v1). Idempotent on event_id.
CREATE TABLE IF NOT EXISTS usage.usage_records (
    id                bigserial      PRIMARY KEY,
    event_id          uuid           NOT NULL,
    request_id        text,
    occurred_at       timestamptz    NOT NULL,
    user_id           text           NOT NULL,
    key_id            text,
    context           text,
    requested_model   text,
    provider          text,
    model             text,
    policy            text,
    prompt_tokens     integer        NOT NULL DEFAULT 0,
    completion_tokens integer        NOT NULL DEFAULT 0,
    total_tokens      integer        NOT NULL DEFAULT 0,
    usage_estimated   boolean        NOT NULL DEFAULT false,
    cost_usd          numeric(20,10) NOT NULL DEFAULT 0,
    cost_saved_usd    numeric(20,10),
    latency_ms        bigint         NOT NULL DEFAULT 0,
    ttft_ms           bigint,
    streamed          boolean        NOT NULL DEFAULT false,
    cached            boolean        NOT NULL DEFAULT false,
    outcome           text           NOT NULL,
    error_class       text,
    attempts          jsonb          NOT NULL DEFAULT '[]'::jsonb,
    received_at       timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT usage_records_event_id_key UNIQUE (event_id)
);

CREATE INDEX IF NOT EXISTS usage_records_user_occurred_idx ON usage.usage_records (user_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS usage_records_request_idx ON usage.usage_records (request_id);
