-- Run-time configuration admins change (issue 11): one row per record key of ai.config.v1
-- (provider:<id> → ProviderOverride, group:<name> → ModelGroup). admin-service stores first, then publishes;
-- published_revision < revision means the row still has to be (re)published (the republish job does it).
CREATE TABLE admin.runtime_config (
    config_key         text        PRIMARY KEY,
    value              jsonb,
    revision           bigint      NOT NULL,
    published_revision bigint      NOT NULL DEFAULT 0,
    updated_at         timestamptz NOT NULL,
    updated_by         text        NOT NULL,
    CONSTRAINT runtime_config_key_format CHECK (config_key ~ '^(provider|group):[a-z0-9][a-z0-9._-]{0,63}$'),
    CONSTRAINT runtime_config_revision CHECK (revision >= 1 AND published_revision >= 0)
);

CREATE INDEX runtime_config_unpublished_idx ON admin.runtime_config (config_key) WHERE published_revision < revision;

COMMENT ON COLUMN admin.runtime_config.value IS 'the record value as published (JSON of ProviderOverride or ModelGroup); null = deleted (a tombstone is published)';
COMMENT ON COLUMN admin.runtime_config.published_revision IS 'the newest revision Kafka acknowledged (acks=all)';

-- Every admin change: who (API key id and its user), what, on which target, the state before and after, when,
-- and the request ID. Never a secret: no API key, key hash, provider key or URL is ever written here.
CREATE TABLE admin.audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    actor_user text,
    action     text        NOT NULL,
    target     text,
    before     jsonb,
    after      jsonb,
    status     integer,
    request_id text
);

CREATE INDEX audit_log_actor_idx  ON admin.audit_log (actor, id DESC);
CREATE INDEX audit_log_action_idx ON admin.audit_log (action, id DESC);
CREATE INDEX audit_log_target_idx ON admin.audit_log (target, id DESC);
CREATE INDEX audit_log_at_idx     ON admin.audit_log (at);

COMMENT ON COLUMN admin.audit_log.actor IS 'the API key id of the admin (key_…), or the user id of an OIDC identity';
COMMENT ON COLUMN admin.audit_log.status IS 'HTTP status of the change (relayed changes: the status the owning service answered)';
