-- The orientation and referral directory: services for refugees, migrants and everyone else,
-- and the changes NGOs propose to the entries they keep, which staff approve.

CREATE TABLE services (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    locality_id     INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    -- The NGO that keeps the entry (its members propose changes); NULL: kept by staff.
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    provider        TEXT    NOT NULL,
    category        TEXT    NOT NULL CHECK (category IN ('legal_aid', 'language_courses',
        'counselling', 'social_services', 'health', 'employment', 'education_children',
        'housing', 'other')),
    name_ro         TEXT    NOT NULL,
    name_ru         TEXT    NOT NULL DEFAULT '',
    name_uk         TEXT    NOT NULL DEFAULT '',
    name_en         TEXT    NOT NULL DEFAULT '',
    description_ro  TEXT    NOT NULL,
    description_ru  TEXT    NOT NULL DEFAULT '',
    description_uk  TEXT    NOT NULL DEFAULT '',
    description_en  TEXT    NOT NULL DEFAULT '',
    eligibility_ro  TEXT    NOT NULL DEFAULT '',
    eligibility_ru  TEXT    NOT NULL DEFAULT '',
    eligibility_uk  TEXT    NOT NULL DEFAULT '',
    eligibility_en  TEXT    NOT NULL DEFAULT '',
    address         TEXT    NOT NULL,
    lat             REAL,
    lng             REAL,
    -- Weekly hours in the city's time, `mo-fr 08:00-17:00; sa 09:00-13:00`, `24/7` or ''.
    hours           TEXT    NOT NULL DEFAULT '',
    -- Languages the staff speak: codes joined by commas, `ro,ru,uk`.
    languages       TEXT    NOT NULL,
    free            BOOLEAN NOT NULL,
    audience        TEXT    NOT NULL CHECK (audience IN ('everyone', 'refugees_migrants',
        'children_families', 'women', 'elderly', 'youth')),
    phone           TEXT,
    email           TEXT,
    website         TEXT,
    -- When someone last confirmed the entry; six months later it is flagged.
    checked_at      TEXT    NOT NULL,
    checked_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX services_locality ON services (locality_id, category);
CREATE INDEX services_organisation ON services (organisation_id);

-- A member's new entry (service_id NULL) or change to an entry, as the whole entry it would
-- become (JSON), kept until staff approve or refuse it.
CREATE TABLE service_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    locality_id     INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    service_id      INTEGER REFERENCES services (id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    review_note     TEXT    NOT NULL DEFAULT '',
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at     TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX service_changes_desk ON service_changes (locality_id, status, created_at);
