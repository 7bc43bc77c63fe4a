-- A voter who started a civic-budget ballot and did not confirm it is reminded once: when.
ALTER TABLE budget_ballots ADD COLUMN reminded_at TEXT;
CREATE INDEX budget_ballots_unconfirmed ON budget_ballots (updated_at)
    WHERE confirmed_at IS NULL AND reminded_at IS NULL;
