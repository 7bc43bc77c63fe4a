-- The implementation of the civic budget's funded projects: one row per project funded when
-- its edition moved to the implementation phase, kept up to date by staff, and the dated
-- milestones (text, optional photo) that people following a project hear of.
CREATE TABLE budget_works (
    proposal_id   INTEGER PRIMARY KEY REFERENCES budget_proposals (id) ON DELETE CASCADE,
    status        TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done')),
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL,
    -- What it cost in the end, in whole lei; none until known.
    actual_cost   INTEGER CHECK (actual_cost >= 0),
    updated_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE budget_milestones (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES budget_works (proposal_id) ON DELETE CASCADE,
    -- The day it happened in the city (`YYYY-MM-DD`).
    happened_on TEXT    NOT NULL,
    lang        TEXT    NOT NULL CHECK (lang IN ('ro', 'ru', 'uk', 'en')),
    body        TEXT    NOT NULL,
    photo_stem  TEXT,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX budget_milestones_proposal ON budget_milestones (proposal_id, happened_on);
CREATE INDEX budget_milestones_created ON budget_milestones (created_at);
