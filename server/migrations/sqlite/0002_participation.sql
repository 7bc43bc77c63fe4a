-- Initiatives, polls and the one voting mechanism both use.

CREATE TABLE initiatives (
    id            INTEGER PRIMARY KEY,
    locality_id   INTEGER NOT NULL REFERENCES localities (id),
    category_id   INTEGER REFERENCES categories (id),
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    -- The language the author wrote in.
    lang          TEXT    NOT NULL CHECK (lang IN ('ro', 'ru', 'uk', 'en')),
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name   TEXT    NOT NULL DEFAULT '',
    lat           REAL,
    lng           REAL,
    created_at    TEXT    NOT NULL,
    closes_at     TEXT,
    hidden        BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT
);

CREATE TABLE polls (
    id                  INTEGER PRIMARY KEY,
    locality_id         INTEGER NOT NULL REFERENCES localities (id),
    question_ro         TEXT    NOT NULL,
    question_ru         TEXT    NOT NULL DEFAULT '',
    question_uk         TEXT    NOT NULL DEFAULT '',
    question_en         TEXT    NOT NULL DEFAULT '',
    description_ro      TEXT    NOT NULL DEFAULT '',
    description_ru      TEXT    NOT NULL DEFAULT '',
    description_uk      TEXT    NOT NULL DEFAULT '',
    description_en      TEXT    NOT NULL DEFAULT '',
    -- 1 for a single-choice poll, more for multiple choice.
    max_choices         INTEGER NOT NULL DEFAULT 1 CHECK (max_choices >= 1),
    opens_at            TEXT    NOT NULL,
    closes_at           TEXT    NOT NULL,
    results_before_vote BOOLEAN NOT NULL DEFAULT TRUE,
    created_by          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at          TEXT    NOT NULL
);

CREATE TABLE poll_options (
    id        INTEGER PRIMARY KEY,
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    label_ro  TEXT    NOT NULL,
    label_ru  TEXT    NOT NULL DEFAULT '',
    label_uk  TEXT    NOT NULL DEFAULT '',
    label_en  TEXT    NOT NULL DEFAULT '',
    link_url  TEXT,
    UNIQUE (poll_id, position)
);

-- One row per voter per thing voted on; the unique constraint, not a check before insert,
-- is what makes a vote count once. Imported historical votes have no voter.
CREATE TABLE ballots (
    id           INTEGER PRIMARY KEY,
    subject_kind TEXT    NOT NULL CHECK (subject_kind IN ('initiative', 'poll')),
    subject_id   INTEGER NOT NULL,
    voter_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    imported     BOOLEAN NOT NULL DEFAULT FALSE,
    cast_at      TEXT    NOT NULL,
    UNIQUE (subject_kind, subject_id, voter_id)
);
CREATE INDEX ballots_subject ON ballots (subject_kind, subject_id);

-- The options a poll ballot chose.
CREATE TABLE ballot_choices (
    ballot_id INTEGER NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    option_id INTEGER NOT NULL REFERENCES poll_options (id) ON DELETE CASCADE,
    PRIMARY KEY (ballot_id, option_id)
);
CREATE INDEX ballot_choices_option ON ballot_choices (option_id);
