-- The NGO network's quarterly newsletter: the secretariat (staff of the locality) writes one
-- issue per quarter in up to four languages (Romanian required, the others fall back to it),
-- keeps it as a draft until it is published, and the notification job mails each published
-- issue once (`mailed_at`) to the locality's newsletter subscribers.
CREATE TABLE newsletters (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    locality_id  INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    quarter      INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    title_ro     TEXT    NOT NULL,
    title_ru     TEXT    NOT NULL DEFAULT '',
    title_uk     TEXT    NOT NULL DEFAULT '',
    title_en     TEXT    NOT NULL DEFAULT '',
    body_ro      TEXT    NOT NULL,
    body_ru      TEXT    NOT NULL DEFAULT '',
    body_uk      TEXT    NOT NULL DEFAULT '',
    body_en      TEXT    NOT NULL DEFAULT '',
    author_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at TEXT,
    mailed_at    TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (locality_id, year, quarter)
);

-- Who receives the newsletter: an account (confirmed at once), or an e-mail address once it
-- confirms by the mailed link (only the token's SHA-256 is kept).
CREATE TABLE newsletter_subscriptions (
    id           INTEGER PRIMARY KEY,
    locality_id  INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email        TEXT,
    lang         TEXT    NOT NULL DEFAULT 'ro',
    token_hash   TEXT    NOT NULL UNIQUE,
    confirmed_at TEXT,
    created_at   TEXT    NOT NULL,
    CHECK (user_id IS NOT NULL OR email IS NOT NULL),
    UNIQUE (locality_id, user_id),
    UNIQUE (locality_id, email)
);
CREATE INDEX newsletter_subscriptions_user ON newsletter_subscriptions (user_id);
CREATE INDEX newsletter_subscriptions_email ON newsletter_subscriptions (email);
