-- A resource may be a file instead of a link: a PDF of at most 8 MB, kept in the database with
-- its row, so that every server of a deployment serves it and it is stored, or refused,
-- together with the proposal. Such a resource's `url` is empty.
CREATE TABLE resource_files (
    resource_id BIGINT  PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    sha256      TEXT    NOT NULL,
    bytes       BYTEA   NOT NULL
);
