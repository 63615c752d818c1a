-- User preferences (issue 4, item 7): the caller's preferred provider/model per context ('default' = the user's default).
CREATE TABLE IF NOT EXISTS routing.user_preferences (
    user_id      text        NOT NULL,
    context      text        NOT NULL,
    provider     text        NOT NULL,
    model        text        NOT NULL,
    usage_count  bigint      NOT NULL DEFAULT 0,
    last_used_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_preferences_pkey PRIMARY KEY (user_id, context),
    CONSTRAINT user_preferences_context_check CHECK (context ~ '^[a-z0-9_-]{1,32}$')
);

-- One version per user, bumped in the same transaction as every change of that user's preferences: the Redis
-- mirror keeps the highest version it was given, so a late refill with an older snapshot never overwrites a newer one.
CREATE TABLE IF NOT EXISTS routing.user_preference_versions (
    user_id text   NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT user_preference_versions_pkey PRIMARY KEY (user_id)
);
