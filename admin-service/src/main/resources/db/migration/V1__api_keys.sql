-- API keys owned by admin-service. Only the SHA-256 hash of a key is stored, never the key or any part of it.
CREATE TABLE admin.api_keys (
    key_id     text        PRIMARY KEY,
    key_hash   char(64)    NOT NULL,
    name       text,
    user_id    text        NOT NULL,
    roles      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    expires_at timestamptz,
    CONSTRAINT api_keys_key_hash_uk UNIQUE (key_hash),
    CONSTRAINT api_keys_key_hash_hex CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT api_keys_key_id_format CHECK (key_id ~ '^key_[A-Za-z0-9_-]{8,64}$'),
    CONSTRAINT api_keys_roles_format CHECK (roles ~ '^[a-z]+(,[a-z]+)*$')
);

CREATE INDEX api_keys_user_created_idx ON admin.api_keys (user_id, created_at DESC);

COMMENT ON COLUMN admin.api_keys.key_hash IS 'lower-case hex SHA-256 of the key; the key itself is shown once at creation and never stored';
COMMENT ON COLUMN admin.api_keys.roles IS 'comma-separated role names, sorted (user, admin)';
