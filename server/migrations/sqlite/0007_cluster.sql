-- Several server processes on one database: mail claims, job leases and shared rate limits.

-- A sender claims messages before sending them, so that each goes out once however many server
-- processes run. A claim lasts until `claimed_until`; a crashed sender's messages are taken up
-- again after it.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;

-- Background jobs that run in one process at a time: the process holding a job's lease runs it.
CREATE TABLE job_leases (
    job        TEXT NOT NULL PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Rate limits counted across processes, per bucket and hashed key (PostgreSQL only: on SQLite one process serves, and it
-- counts in memory). Kept here so that both backends have the same schema.
CREATE TABLE rate_limits (
    bucket TEXT    NOT NULL,
    key    TEXT    NOT NULL,
    tat    INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
);
