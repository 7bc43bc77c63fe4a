-- Sign-in without lock-outs: failed attempts per address with growing delays, browsers that
-- signed in before are trusted past those delays, and a single-use sign-in link by e-mail.

-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with 'signin' allowed.
CREATE TABLE email_tokens_new (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('confirm', 'reset', 'signin')),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT
);
INSERT INTO email_tokens_new SELECT token_hash, user_id, purpose, created_at, expires_at, used_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_new RENAME TO email_tokens;
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Wrong passwords per e-mail address (whether or not it has an account, so the table tells
-- nobody which addresses do); a success removes the row.
CREATE TABLE sign_in_failures (
    email           TEXT    PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at TEXT    NOT NULL
);

-- A browser that has signed in to an account keeps a random token (hashed here); it is not
-- held back by the delays that strangers' wrong guesses cause.
CREATE TABLE trusted_devices (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT    NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id);
