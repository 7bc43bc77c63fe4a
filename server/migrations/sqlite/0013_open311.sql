-- Open311: the API keys administrators issue to client apps, and the reports each key sent.

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    locality_id  INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    -- SHA-256 of the key, hex; the key itself is shown once and never stored.
    key_digest   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_keys_locality ON api_keys (locality_id, created_at);

-- A report posted through Open311: which key sent it, and the token the client may poll.
CREATE TABLE open311_requests (
    report_id  INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    api_key_id INTEGER NOT NULL REFERENCES api_keys (id),
    token      TEXT    NOT NULL UNIQUE,
    -- Sent by the client beside the report: the phone for staff only, the media link shown.
    phone      TEXT,
    media_url  TEXT,
    created_at TEXT    NOT NULL
);
