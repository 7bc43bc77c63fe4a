-- Several server processes on one database: mail claims, job leases and shared rate limits.

-- A sender claims messages before sending them, so that each goes out once however many server
-- processes run. A claim lasts until `claimed_until`; a crashed sender's messages are taken up
-- again after it.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;

-- Background jobs that run in one process at a time: the process holding a job's lease runs it.
CREATE TABLE job_leases (
    job        TEXT        PRIMARY KEY,
    holder     TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- Rate limits counted across processes: one row per bucket and key (the SHA-256 of a client
-- address or e-mail address, never the address itself), holding the "theoretical
-- arrival time" of the generic cell rate algorithm (microseconds since 1970), as the in-memory
-- limiter keeps it. UNLOGGED: counters need no crash safety (a crash forgets them, as restarting
-- a single process does), and without the write-ahead log each attempt costs one cheap upsert.
CREATE UNLOGGED TABLE rate_limits (
    bucket TEXT   NOT NULL,
    key    TEXT   NOT NULL,
    tat    BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);
