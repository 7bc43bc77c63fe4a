-- Localities, their categories, accounts (filled in by the accounts issue) and reports.
-- Times are UTC, RFC 3339 text; coordinates WGS 84 degrees.

CREATE TABLE localities (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name_ro     TEXT    NOT NULL,
    name_ru     TEXT    NOT NULL DEFAULT '',
    name_uk     TEXT    NOT NULL DEFAULT '',
    name_en     TEXT    NOT NULL DEFAULT '',
    centre_lat  REAL    NOT NULL,
    centre_lng  REAL    NOT NULL,
    zoom        INTEGER NOT NULL DEFAULT 13,
    -- JSON array of [lat, lng] pairs, the ring closing on itself.
    boundary    TEXT    NOT NULL DEFAULT '[]',
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX localities_single_default ON localities (is_default) WHERE is_default;

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    locality_id INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    slug        TEXT    NOT NULL,
    name_ro     TEXT    NOT NULL,
    name_ru     TEXT    NOT NULL DEFAULT '',
    name_uk     TEXT    NOT NULL DEFAULT '',
    name_en     TEXT    NOT NULL DEFAULT '',
    icon        TEXT    NOT NULL,
    color       TEXT    NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (locality_id, slug)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT UNIQUE,
    display_name  TEXT    NOT NULL DEFAULT '',
    password_hash TEXT,
    locale        TEXT    NOT NULL DEFAULT 'ro',
    created_at    TEXT    NOT NULL
);

CREATE TABLE reports (
    id                INTEGER PRIMARY KEY,
    locality_id       INTEGER NOT NULL REFERENCES localities (id),
    category_id       INTEGER NOT NULL REFERENCES categories (id),
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    lat               REAL    NOT NULL,
    lng               REAL    NOT NULL,
    address           TEXT,
    status            TEXT    NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'accepted', 'resolved', 'rejected', 'duplicate')),
    reporter_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reporter_name     TEXT,
    reporter_email    TEXT,
    show_name         BOOLEAN NOT NULL DEFAULT FALSE,
    duplicate_of      INTEGER REFERENCES reports (id),
    -- Citizens who said "I have this problem too"; kept in step with report_supports.
    supporters        INTEGER NOT NULL DEFAULT 0,
    hidden            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    first_response_at TEXT,
    resolved_at       TEXT
);
CREATE INDEX reports_position ON reports (lat, lng);
CREATE INDEX reports_created ON reports (created_at);

-- Every status change and official response, in order: the report's public timeline.
CREATE TABLE report_events (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT,
    body        TEXT    NOT NULL DEFAULT '',
    actor_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_name  TEXT    NOT NULL DEFAULT '',
    official    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT    NOT NULL
);
CREATE INDEX report_events_report ON report_events (report_id, created_at);

-- Facts about the installation itself, such as whether the demo data was loaded.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
