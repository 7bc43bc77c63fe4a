-- The NGO network's database of online educational resources: links proposed by members of
-- its organisations, public once staff publish them.
CREATE TABLE resources (
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
    url             TEXT    NOT NULL,
    language        TEXT    NOT NULL CHECK (language IN ('ro', 'ru', 'uk', 'en', 'multi')),
    topic           TEXT    NOT NULL CHECK (topic IN ('language_learning', 'rights_legal',
        'integration', 'health_wellbeing', 'education_skills', 'employment', 'digital_skills',
        'civic_participation')),
    audience        TEXT    NOT NULL
        CHECK (audience IN ('everyone', 'refugees_migrants', 'youth', 'elderly', 'families', 'ngos')),
    status          TEXT    NOT NULL CHECK (status IN ('proposed', 'published', 'rejected')),
    review_note     TEXT    NOT NULL DEFAULT '',
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at     TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX resources_list ON resources (locality_id, status, created_at);
