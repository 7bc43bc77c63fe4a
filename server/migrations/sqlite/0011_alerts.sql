-- People hear about what they follow: mail to report followers and area subscribers, with a
-- one-click unsubscribe link in every message.

-- The language a follower chose when subscribing; their mail is written in it.
ALTER TABLE report_subscriptions ADD COLUMN lang TEXT NOT NULL DEFAULT 'ro';

-- What a message needs beyond its text: its language (`Content-Language`) and, for mail sent
-- because of a subscription, the one-click unsubscribe address (`List-Unsubscribe`, RFC 8058).
ALTER TABLE outbox ADD COLUMN lang TEXT;
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;

-- "Tell me about new reports around this place": an account, or an e-mail address that
-- confirmed by link. `categories` holds category ids separated by commas (empty: all).
CREATE TABLE area_alerts (
    id             INTEGER PRIMARY KEY,
    locality_id    INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    user_id        INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email          TEXT,
    lat            REAL    NOT NULL,
    lng            REAL    NOT NULL,
    radius_m       INTEGER NOT NULL,
    categories     TEXT    NOT NULL DEFAULT '',
    digest         BOOLEAN NOT NULL DEFAULT FALSE,
    lang           TEXT    NOT NULL DEFAULT 'ro',
    token_hash     TEXT    NOT NULL UNIQUE,
    confirmed_at   TEXT,
    -- The digest covers the reports filed after this moment.
    digest_since   TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    CHECK (user_id IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX area_alerts_locality ON area_alerts (locality_id);
CREATE INDEX area_alerts_email ON area_alerts (email);
CREATE INDEX area_alerts_user ON area_alerts (user_id);

-- One per message sent because of a subscription: its link unsubscribes from that subscription
-- and opens the page that lists every subscription of the same address. Only the SHA-256 of
-- the token is kept. `kind` is `report` (report_subscriptions) or `area` (area_alerts).
CREATE TABLE unsubscribe_tokens (
    token_hash      TEXT    PRIMARY KEY,
    kind            TEXT    NOT NULL,
    subscription_id INTEGER NOT NULL,
    user_id         INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email           TEXT,
    created_at      TEXT    NOT NULL
);

-- How far the mail sent about timeline events and new reports has got (the last id done), so
-- each event is announced once even when the job that sends them runs again after a crash.
CREATE TABLE notify_cursors (
    name    TEXT    PRIMARY KEY,
    last_id INTEGER NOT NULL
);
INSERT INTO notify_cursors (name, last_id) SELECT 'report_events', COALESCE(MAX(id), 0) FROM report_events;
INSERT INTO notify_cursors (name, last_id) SELECT 'new_reports', COALESCE(MAX(id), 0) FROM reports;

-- City announcements ("notificări importante"): staff of a locality publish them, for the whole
-- locality (no centre) or for a circle, shown while valid and mailed to the area alerts they
-- concern. Titles and texts in four languages; Romanian is required, the others fall back to it.
CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY,
    locality_id INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    title_ro    TEXT    NOT NULL,
    title_ru    TEXT    NOT NULL DEFAULT '',
    title_uk    TEXT    NOT NULL DEFAULT '',
    title_en    TEXT    NOT NULL DEFAULT '',
    body_ro     TEXT    NOT NULL,
    body_ru     TEXT    NOT NULL DEFAULT '',
    body_uk     TEXT    NOT NULL DEFAULT '',
    body_en     TEXT    NOT NULL DEFAULT '',
    lat         REAL,
    lng         REAL,
    radius_m    INTEGER,
    valid_from  TEXT    NOT NULL,
    valid_until TEXT    NOT NULL,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    CHECK ((lat IS NULL) = (radius_m IS NULL))
);
CREATE INDEX announcements_locality ON announcements (locality_id, valid_until);
INSERT INTO notify_cursors (name, last_id) VALUES ('announcements', 0);
