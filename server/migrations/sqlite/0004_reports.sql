-- The reports module: photos, comments, supports, subscriptions, search and map clusters.

ALTER TABLE reports ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN hidden_reason TEXT;
-- False for a report sent without coordinates until staff place its pin.
ALTER TABLE reports ADD COLUMN location_confirmed BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX reports_status_created ON reports (status, created_at);

CREATE TABLE report_photos (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    -- Random file name stem under $AGORA_DATA_DIR/photos (`<stem>.jpg`, `<stem>_thumb.jpg`).
    file_stem     TEXT    NOT NULL UNIQUE,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    hidden        BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX report_photos_report ON report_photos (report_id, position);

CREATE TABLE report_comments (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name   TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL,
    hidden        BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX report_comments_report ON report_comments (report_id, created_at);

-- "I have this problem too": one per person, kept in step with reports.supporters.
CREATE TABLE report_supports (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (report_id, user_id)
);

-- Who follows a report: an account, or an e-mail address that confirmed by link.
CREATE TABLE report_subscriptions (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email        TEXT,
    token_hash   TEXT    NOT NULL UNIQUE,
    confirmed_at TEXT,
    created_at   TEXT    NOT NULL,
    CHECK (user_id IS NOT NULL OR email IS NOT NULL)
);
CREATE UNIQUE INDEX report_subscriptions_user ON report_subscriptions (report_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX report_subscriptions_email ON report_subscriptions (report_id, email) WHERE email IS NOT NULL;

-- Reports counted per map grid cell, per category and status, at the zoom levels where the map
-- shows clusters; kept in step with reports in the same transactions, so a city-wide screen
-- reads a few hundred rows however many reports there are.
CREATE TABLE report_cells (
    level       INTEGER NOT NULL,
    cx          INTEGER NOT NULL,
    cy          INTEGER NOT NULL,
    category_id INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    sum_lat     REAL    NOT NULL,
    sum_lng     REAL    NOT NULL,
    PRIMARY KEY (level, cx, cy, category_id, status)
);
