-- Initiatives' badge levels and official answers, polls' option links, and each locality's
-- settings for initiatives.

-- Vote thresholds of the badge levels START, GO, POPULAR, VIRAL, GOLD (JSON array).
ALTER TABLE localities ADD COLUMN initiative_thresholds TEXT NOT NULL DEFAULT '[10,100,200,500,1000]';
-- The level at which the city hall owes an official answer (NULL: never).
ALTER TABLE localities ADD COLUMN initiative_answer_level TEXT DEFAULT 'go';
-- How long an initiative collects support, in days (NULL: no deadline).
ALTER TABLE localities ADD COLUMN initiative_days INTEGER;

ALTER TABLE initiatives ADD COLUMN image_stem TEXT;
ALTER TABLE initiatives ADD COLUMN official_answer TEXT;
ALTER TABLE initiatives ADD COLUMN answered_at TEXT;
ALTER TABLE initiatives ADD COLUMN answered_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- When each level was first reached.
CREATE TABLE initiative_levels (
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    level         TEXT    NOT NULL CHECK (level IN ('start', 'go', 'popular', 'viral', 'gold')),
    reached_at    TEXT    NOT NULL,
    PRIMARY KEY (initiative_id, level)
);

CREATE INDEX ballots_voter ON ballots (voter_id);
