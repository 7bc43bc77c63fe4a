-- The photos an author attaches to a civic-budget proposal (public with the proposal; a
-- draft's only to its author).
CREATE TABLE budget_proposal_photos (
    -- Never reused (photos are removed): an address once served stays that photo's, or none.
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES budget_proposals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    -- Random file name stem under $AGORA_DATA_DIR/photos (`<stem>.jpg`, `<stem>_thumb.jpg`).
    file_stem   TEXT    NOT NULL UNIQUE,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX budget_proposal_photos_proposal ON budget_proposal_photos (proposal_id, position);
