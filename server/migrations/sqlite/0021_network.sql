-- The NGO network: its organisations, who speaks for each, and the events calendar.

-- An organisation of a locality's NGO network (the city hall's secretariat is one too).
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    locality_id INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    -- The per-organiser calendar feed's name for it.
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    website     TEXT,
    email       TEXT,
    created_at  TEXT    NOT NULL,
    UNIQUE (locality_id, slug)
);

-- The accounts that act for an organisation: they propose its events, which staff approve.
CREATE TABLE organisation_members (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    added_at        TEXT    NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX organisation_members_user ON organisation_members (user_id);

-- The network's calendar. Proposed by members, public once staff publish them; past events stay.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    locality_id     INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title_ro        TEXT    NOT NULL,
    title_ru        TEXT    NOT NULL DEFAULT '',
    title_uk        TEXT    NOT NULL DEFAULT '',
    title_en        TEXT    NOT NULL DEFAULT '',
    description_ro  TEXT    NOT NULL,
    description_ru  TEXT    NOT NULL DEFAULT '',
    description_uk  TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    starts_at       TEXT    NOT NULL,
    ends_at         TEXT    NOT NULL,
    -- Where, in words ('' for an event only online), and its pin.
    place           TEXT    NOT NULL DEFAULT '',
    lat             REAL,
    lng             REAL,
    online_url      TEXT    NOT NULL DEFAULT '',
    language        TEXT    NOT NULL CHECK (language IN ('ro', 'ru', 'uk', 'en', 'multi')),
    audience        TEXT    NOT NULL
        CHECK (audience IN ('everyone', 'refugees_migrants', 'youth', 'elderly', 'families', 'ngos')),
    category        TEXT    NOT NULL
        CHECK (category IN ('workshop', 'consultation', 'culture', 'volunteering', 'information', 'networking')),
    status          TEXT    NOT NULL CHECK (status IN ('proposed', 'published', 'rejected')),
    -- Staff's reason when they refuse it (shown to the organisation's members).
    review_note     TEXT    NOT NULL DEFAULT '',
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at     TEXT,
    created_at      TEXT    NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK ((lat IS NULL) = (lng IS NULL)),
    CHECK (place <> '' OR online_url <> '')
);
CREATE INDEX events_calendar ON events (locality_id, status, starts_at);
CREATE INDEX events_organisation ON events (organisation_id, starts_at);
