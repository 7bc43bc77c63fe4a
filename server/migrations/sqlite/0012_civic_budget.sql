-- The civic budget: editions with dated phases, their budgets, proposals (projects once found
-- feasible), ballots built as the voter goes, and what participants chose to tell about
-- themselves (counted only, never shown per person).

CREATE TABLE budget_editions (
    id                  INTEGER PRIMARY KEY,
    locality_id         INTEGER NOT NULL REFERENCES localities (id),
    slug                TEXT    NOT NULL,
    title_ro            TEXT    NOT NULL,
    title_ru            TEXT    NOT NULL DEFAULT '',
    title_uk            TEXT    NOT NULL DEFAULT '',
    title_en            TEXT    NOT NULL DEFAULT '',
    -- The phase staff moved the edition to; each phase runs from its date to the next one's.
    phase               TEXT    NOT NULL DEFAULT 'information' CHECK (phase IN
                            ('information', 'proposals', 'review', 'voting', 'results', 'implementation')),
    information_from    TEXT    NOT NULL,
    proposals_from      TEXT    NOT NULL,
    review_from         TEXT    NOT NULL,
    voting_from         TEXT    NOT NULL,
    results_from        TEXT    NOT NULL,
    implementation_from TEXT    NOT NULL,
    -- The key of the identity documents' hashes (`budget_ballots.document_hash`).
    document_key        TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    UNIQUE (locality_id, slug)
);

CREATE TABLE budget_budgets (
    id           INTEGER PRIMARY KEY,
    edition_id   INTEGER NOT NULL REFERENCES budget_editions (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    name_ro      TEXT    NOT NULL,
    name_ru      TEXT    NOT NULL DEFAULT '',
    name_uk      TEXT    NOT NULL DEFAULT '',
    name_en      TEXT    NOT NULL DEFAULT '',
    amount       INTEGER NOT NULL CHECK (amount > 0),
    -- `app::model::budget::BallotRule` as JSON.
    ballot_rule  TEXT    NOT NULL,
    outcome_rule TEXT    NOT NULL CHECK (outcome_rule IN ('greedy', 'equal_shares'))
);
CREATE INDEX budget_budgets_edition ON budget_budgets (edition_id);

CREATE TABLE budget_proposals (
    id               INTEGER PRIMARY KEY,
    budget_id        INTEGER NOT NULL REFERENCES budget_budgets (id) ON DELETE CASCADE,
    author_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    lang             TEXT    NOT NULL CHECK (lang IN ('ro', 'ru', 'uk', 'en')),
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    cost             INTEGER NOT NULL CHECK (cost > 0),
    revised_cost     INTEGER CHECK (revised_cost > 0),
    -- No pin: the whole city.
    lat              REAL,
    lng              REAL,
    direction        TEXT    NOT NULL,
    mixed_team       BOOLEAN NOT NULL DEFAULT FALSE,
    cohesion_actions BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'feasible', 'unfeasible')),
    review_reason    TEXT,
    reviewed_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at      TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX budget_proposals_budget ON budget_proposals (budget_id, status);
CREATE INDEX budget_proposals_author ON budget_proposals (author_id);

-- One ballot per person per budget (`voter_id`; paper ballots have none), and per identity
-- document (`document_hash`, a keyed hash: the number itself is never stored), so a person
-- cannot vote both online and on paper.
CREATE TABLE budget_ballots (
    id            INTEGER PRIMARY KEY,
    budget_id     INTEGER NOT NULL REFERENCES budget_budgets (id) ON DELETE CASCADE,
    voter_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    channel       TEXT    NOT NULL CHECK (channel IN ('internet', 'paper')),
    paper_sheet   TEXT,
    document_hash TEXT,
    code          TEXT    NOT NULL UNIQUE,
    -- The chosen projects' cost, kept in the same transaction as the choices.
    total         INTEGER NOT NULL DEFAULT 0,
    confirmed_at  TEXT,
    entered_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (budget_id, voter_id),
    UNIQUE (budget_id, document_hash),
    UNIQUE (budget_id, paper_sheet)
);

CREATE TABLE budget_choices (
    ballot_id   INTEGER NOT NULL REFERENCES budget_ballots (id) ON DELETE CASCADE,
    proposal_id INTEGER NOT NULL REFERENCES budget_proposals (id) ON DELETE CASCADE,
    PRIMARY KEY (ballot_id, proposal_id)
);
CREATE INDEX budget_choices_proposal ON budget_choices (proposal_id);

-- What a participant chose to say, once per edition; only ever counted.
CREATE TABLE budget_participants (
    edition_id   INTEGER NOT NULL REFERENCES budget_editions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    age_band     TEXT,
    gender       TEXT,
    status       TEXT,
    language     TEXT,
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    trust        BOOLEAN,
    PRIMARY KEY (edition_id, user_id)
);
