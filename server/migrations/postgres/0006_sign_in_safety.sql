-- Sign-in without lock-outs: failed attempts per address with growing delays, browsers that
-- signed in before are trusted past those delays, and a single-use sign-in link by e-mail.

ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('confirm', 'reset', 'signin'));

-- Wrong passwords per e-mail address (whether or not it has an account, so the table tells
-- nobody which addresses do); a success removes the row.
CREATE TABLE sign_in_failures (
    email           TEXT        PRIMARY KEY,
    failures        BIGINT      NOT NULL,
    last_failure_at TIMESTAMPTZ NOT NULL
);

-- A browser that has signed in to an account keeps a random token (hashed here); it is not
-- held back by the delays that strangers' wrong guesses cause.
CREATE TABLE trusted_devices (
    token_hash   TEXT        PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id);
