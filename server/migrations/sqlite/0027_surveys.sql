-- Surveys with several questions (the inclusion plan's questionnaires on refugees' needs and
-- participants' satisfaction). Staff write a survey in up to four languages (Romanian
-- required, the others fall back to it), keep it as a draft, then publish it for its dates.
CREATE TABLE surveys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    locality_id    INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    title_ro       TEXT    NOT NULL,
    title_ru       TEXT    NOT NULL DEFAULT '',
    title_uk       TEXT    NOT NULL DEFAULT '',
    title_en       TEXT    NOT NULL DEFAULT '',
    intro_ro       TEXT    NOT NULL DEFAULT '',
    intro_ru       TEXT    NOT NULL DEFAULT '',
    intro_uk       TEXT    NOT NULL DEFAULT '',
    intro_en       TEXT    NOT NULL DEFAULT '',
    opens_at       TEXT    NOT NULL,
    closes_at      TEXT    NOT NULL,
    respondents    TEXT    NOT NULL CHECK (respondents IN ('anyone', 'signed_in', 'once_per_person')),
    anonymous      BOOLEAN NOT NULL DEFAULT FALSE,
    results_public BOOLEAN NOT NULL DEFAULT FALSE,
    published_at   TEXT,
    author_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX surveys_locality ON surveys (locality_id, opens_at);

-- The questions, in order. Options are a JSON list of {ro, ru, uk, en}; a condition shows the
-- question only when an earlier choice question's answer includes an option (by its index).
CREATE TABLE survey_questions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id        INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    section_ro       TEXT    NOT NULL DEFAULT '',
    section_ru       TEXT    NOT NULL DEFAULT '',
    section_uk       TEXT    NOT NULL DEFAULT '',
    section_en       TEXT    NOT NULL DEFAULT '',
    prompt_ro        TEXT    NOT NULL,
    prompt_ru        TEXT    NOT NULL DEFAULT '',
    prompt_uk        TEXT    NOT NULL DEFAULT '',
    prompt_en        TEXT    NOT NULL DEFAULT '',
    help_ro          TEXT    NOT NULL DEFAULT '',
    help_ru          TEXT    NOT NULL DEFAULT '',
    help_uk          TEXT    NOT NULL DEFAULT '',
    help_en          TEXT    NOT NULL DEFAULT '',
    kind             TEXT    NOT NULL
        CHECK (kind IN ('single', 'multiple', 'scale', 'short_text', 'long_text', 'number', 'date')),
    options          TEXT    NOT NULL DEFAULT '[]',
    other            BOOLEAN NOT NULL DEFAULT FALSE,
    required         BOOLEAN NOT NULL DEFAULT FALSE,
    show_if_question INTEGER REFERENCES survey_questions (id) ON DELETE SET NULL,
    show_if_option   INTEGER,
    CHECK ((show_if_question IS NULL) = (show_if_option IS NULL))
);
CREATE INDEX survey_questions_survey ON survey_questions (survey_id, position);

-- One filled-in sheet. In an anonymous survey it keeps no account and only the day it came.
CREATE TABLE survey_responses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    lang         TEXT    NOT NULL DEFAULT 'ro',
    submitted_at TEXT    NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id);
CREATE INDEX survey_responses_user ON survey_responses (user_id);

-- The answers of a sheet: a row per option chosen (`choice`: its index, -1 for "other" with
-- its words in `value`), per point of a scale (`choice` 1–5), or a text, number or date
-- (`value`).
CREATE TABLE survey_answers (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    choice      INTEGER,
    value       TEXT,
    CHECK (choice IS NOT NULL OR value IS NOT NULL)
);
CREATE INDEX survey_answers_response ON survey_answers (response_id);
CREATE INDEX survey_answers_question ON survey_answers (question_id);

-- Who answered a once-per-person survey, kept apart from what they answered (no link to a
-- response, no time), so that an anonymous survey stays anonymous.
CREATE TABLE survey_participants (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (survey_id, user_id)
) WITHOUT ROWID;
