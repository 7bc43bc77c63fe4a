-- Who may vote is set per edition: people of at least this age (0: no age condition), who
-- declare it when confirming their ballot; paper voters are checked at the desk.
ALTER TABLE budget_editions ADD COLUMN min_voter_age INTEGER NOT NULL DEFAULT 0;
