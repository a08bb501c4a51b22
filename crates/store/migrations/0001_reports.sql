-- Reports and their revisions. Append-only: later changes come as new migration files.

-- One report per Party and year; the workflow state and the revision it points at.
CREATE TABLE reports (
    id                 INTEGER PRIMARY KEY,
    party_iso3         TEXT    NOT NULL,
    party_name         TEXT    NOT NULL,
    year               INTEGER NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'accepted', 'published')),
    current_revision   INTEGER,
    published_revision INTEGER,
    published_at       TEXT,
    created_at         TEXT    NOT NULL,
    UNIQUE (party_iso3, year)
);

-- Every save of a report: immutable, the whole document, hashed.
CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    parent_id   INTEGER REFERENCES revisions (id),
    author      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    document    TEXT    NOT NULL
);

CREATE INDEX revisions_by_report ON revisions (report_id, id);

-- Revisions are never changed or removed.
CREATE TRIGGER revisions_are_immutable BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
CREATE TRIGGER revisions_are_kept BEFORE DELETE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are never deleted');
END;
