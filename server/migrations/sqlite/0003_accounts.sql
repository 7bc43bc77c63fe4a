-- Accounts, sessions, e-mail, departments, roles and the audit log.

ALTER TABLE users ADD COLUMN email_confirmed_at TEXT;
ALTER TABLE users ADD COLUMN civic_group TEXT NOT NULL DEFAULT 'undisclosed'
    CHECK (civic_group IN ('undisclosed', 'resident', 'refugee', 'migrant', 'other'));
ALTER TABLE users ADD COLUMN deleted_at TEXT;

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of the database
-- does not let anyone sign in.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use links sent by e-mail (confirmation, password reset); hashed like sessions.
CREATE TABLE email_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('confirm', 'reset')),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Every message Agora sends is written here first; a worker delivers it when SMTP is set.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    to_address TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

-- City-hall departments, and the categories each one handles.
CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    locality_id INTEGER NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (locality_id, name)
);

CREATE TABLE department_categories (
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    category_id   INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, category_id)
);

-- Who holds which power where. locality_id is NULL only for operators; department_id narrows
-- a staff role to one department.
CREATE TABLE roles (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          TEXT    NOT NULL CHECK (role IN ('operator', 'admin', 'moderator', 'staff')),
    locality_id   INTEGER REFERENCES localities (id) ON DELETE CASCADE,
    department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
    granted_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    granted_at    TEXT    NOT NULL,
    CHECK ((role = 'operator') = (locality_id IS NULL))
);
CREATE UNIQUE INDEX roles_unique ON roles (user_id, role, COALESCE(locality_id, 0), COALESCE(department_id, 0));

-- Every staff action: who, what, when, and the state before and after (JSON).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    locality_id INTEGER REFERENCES localities (id) ON DELETE SET NULL,
    actor_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_label TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target_kind TEXT    NOT NULL,
    target_id   INTEGER,
    before_json TEXT,
    after_json  TEXT,
    reason      TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX audit_log_locality ON audit_log (locality_id, created_at);

ALTER TABLE reports ADD COLUMN department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL;
