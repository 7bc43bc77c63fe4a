-- Following an initiative, a poll or a civic-budget project: a signed-in person is mailed, in
-- the language they chose, about what happens to it (a badge level reached, the city hall's
-- answer, a poll's results when it closes, a project's review and the edition's results).
CREATE TABLE follows (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('initiative', 'poll', 'project')),
    target_id  INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lang       TEXT    NOT NULL DEFAULT 'ro',
    created_at TEXT    NOT NULL,
    UNIQUE (kind, target_id, user_id)
);
CREATE INDEX follows_user ON follows (user_id);

-- One row per happening announced to the followers of something, written in the transaction
-- that queues their mail: each is announced once, even when several server processes run the
-- job at the same moment.
CREATE TABLE follow_notices (
    kind      TEXT    NOT NULL,
    target_id INTEGER NOT NULL,
    event     TEXT    NOT NULL,
    sent_at   TEXT    NOT NULL,
    PRIMARY KEY (kind, target_id, event)
);

-- When staff last moved an edition to another phase: the results are announced from then.
ALTER TABLE budget_editions ADD COLUMN phase_changed_at TEXT;
