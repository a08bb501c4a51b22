-- Drafting: one-time links (password reset, first password) and API tokens, both stored only
-- as the SHA-256 of their secret; the focal point's decisions on CSO measures.

CREATE TABLE user_tokens (
    token_sha256 TEXT    PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    purpose      TEXT    NOT NULL CHECK (purpose IN ('password', 'api')),
    label        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT,
    used_at      TEXT
);
CREATE INDEX user_tokens_by_user ON user_tokens (user_id, purpose);

-- JSON object: CSO measure id -> true (included in the report) / false (not included).
ALTER TABLE cso_invitations ADD COLUMN decisions TEXT;
