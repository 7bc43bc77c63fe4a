-- Statistics kept exact by the writes themselves: every write that changes a report moves its
-- contribution here in the same transaction, so a statistics page reads a few thousand rows
-- whatever the number of reports, and never a stale figure. Hidden reports count nowhere.

-- Reports by the city month they were filed in, category, department (0: none) and status.
CREATE TABLE report_stats (
    locality_id   INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    month         TEXT    NOT NULL, -- 'YYYY-MM', city time
    category_id   INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    reports       INTEGER NOT NULL,
    answered      INTEGER NOT NULL, -- with an official answer
    supporters    INTEGER NOT NULL,
    followers     INTEGER NOT NULL,
    PRIMARY KEY (locality_id, month, category_id, department_id, status)
);

-- How long the city hall took: minutes from filing to the first official answer ('answer') or
-- to resolution ('resolution'), by the filing month. Exact to the minute up to a day, to ten
-- minutes up to a week, to the hour beyond.
CREATE TABLE report_durations (
    locality_id   INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    month         TEXT    NOT NULL,
    category_id   INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('answer', 'resolution')),
    minutes       INTEGER NOT NULL,
    reports       INTEGER NOT NULL,
    PRIMARY KEY (locality_id, month, kind, category_id, department_id, minutes)
);
