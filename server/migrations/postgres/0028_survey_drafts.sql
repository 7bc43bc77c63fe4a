-- What a person has answered so far in a long survey, kept between sections so that a survey
-- left halfway can be resumed. Keyed by a random token in the browser's cookie (kept here only
-- as its SHA-256), never by account, so an anonymous survey's draft names nobody; deleted with
-- the sheet it becomes, and after 30 days unused.
CREATE TABLE survey_drafts (
    survey_id  BIGINT  NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL,
    answers    TEXT    NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (survey_id, token_hash)
);
CREATE INDEX survey_drafts_updated ON survey_drafts (updated_at);
