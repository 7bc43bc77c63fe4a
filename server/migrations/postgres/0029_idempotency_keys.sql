-- Requests sent with an `Idempotency-Key` (a phone retrying a report or a vote sent offline, a
-- flaky network): the first one's answer, replayed for a repeat instead of doing the write
-- again. Keyed by the SHA-256 of the key, who sent it and the address; kept a day.
CREATE TABLE idempotency_keys (
    key_hash     TEXT    PRIMARY KEY,
    -- 0 while the first request is being handled.
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT    NOT NULL DEFAULT '',
    location     TEXT    NOT NULL DEFAULT '',
    body         BYTEA,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
