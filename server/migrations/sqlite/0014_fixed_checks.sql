-- "Is it fixed?": some days after a report is resolved, its reporter is asked whether the
-- problem really is fixed; "no" reopens it. The days are a setting of each locality, as is how
-- long a report may stay in progress without news before it is flagged to staff.
ALTER TABLE localities ADD COLUMN fixed_check_days INTEGER NOT NULL DEFAULT 21;
ALTER TABLE localities ADD COLUMN stuck_days INTEGER NOT NULL DEFAULT 30;

-- One question per resolution of a report (a report reopened and resolved again is asked
-- again). The link mailed to the reporter carries the token; only its SHA-256 is kept.
CREATE TABLE fixed_checks (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    resolved_at TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    lang        TEXT    NOT NULL DEFAULT 'ro',
    asked_at    TEXT    NOT NULL,
    answer      TEXT    CHECK (answer IN ('fixed', 'not_fixed')),
    answered_at TEXT,
    UNIQUE (report_id, resolved_at)
);
CREATE INDEX fixed_checks_answer ON fixed_checks (answer);
