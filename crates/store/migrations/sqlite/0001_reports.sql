-- qpr schema, SQLite. Append-only: a change to the schema is a new file, in
-- migrations/sqlite and migrations/postgres alike, and the contract suite runs on both.

-- Parties to the Convention, from data/countries.csv and data/parties.csv (editable).
CREATE TABLE parties (
    iso3        TEXT PRIMARY KEY,
    name_en     TEXT NOT NULL,
    name_fr     TEXT NOT NULL,
    region      TEXT,
    deposit_date TEXT,
    instrument  TEXT
);

-- Reporting cycles opened by the Secretariat.
CREATE TABLE cycles (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL UNIQUE,
    framework   TEXT    NOT NULL,
    deadline    TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
    created_at  TEXT    NOT NULL
);

-- One report per Party and year; its workflow state and the revisions it points at.
CREATE TABLE reports (
    id                 INTEGER PRIMARY KEY,
    party_iso3         TEXT    NOT NULL,
    party_name         TEXT    NOT NULL,
    year               INTEGER NOT NULL,
    framework          TEXT    NOT NULL,
    cycle_id           INTEGER REFERENCES cycles (id),
    state              TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'accepted', 'published')),
    current_revision   INTEGER,
    submitted_revision INTEGER,
    published_revision INTEGER,
    published_at       TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    UNIQUE (party_iso3, year)
);

-- Every save of a report: immutable, the whole document, its SHA-256.
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
CREATE TRIGGER revisions_are_immutable BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
CREATE TRIGGER revisions_are_kept BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT,
    is_secretariat INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL
);

-- A user's role for a Party; `sections` (JSON list of section ids) limits a contributor.
CREATE TABLE memberships (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    party_iso3  TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('focal_point', 'contributor')),
    sections    TEXT,
    PRIMARY KEY (user_id, party_iso3)
);

-- CSO invitations: the link's token is stored only as its SHA-256.
CREATE TABLE cso_invitations (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports (id),
    email         TEXT,
    organization  TEXT    NOT NULL,
    token_sha256  TEXT    NOT NULL UNIQUE,
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    submitted_at  TEXT,
    submission    TEXT
);

-- Comments anchored to a field path, kept with the revision they were made on.
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports (id),
    revision_id  INTEGER NOT NULL REFERENCES revisions (id),
    field_path   TEXT    NOT NULL,
    parent_id    INTEGER REFERENCES comments (id),
    author_id    INTEGER NOT NULL REFERENCES users (id),
    body         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    resolved_at  TEXT,
    resolved_by  INTEGER REFERENCES users (id)
);
CREATE INDEX comments_by_report ON comments (report_id, field_path);

-- HTTP sessions, so app servers hold no state; the id is stored as its SHA-256.
CREATE TABLE sessions (
    id_sha256   TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    data        TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);

-- Annex files, content-addressed, and their use in reports.
CREATE TABLE blobs (
    sha256        TEXT    PRIMARY KEY,
    size          INTEGER NOT NULL,
    content_type  TEXT    NOT NULL,
    bytes         BLOB    NOT NULL
);
CREATE TABLE annexes (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports (id),
    blob_sha256  TEXT    NOT NULL REFERENCES blobs (sha256),
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    added_by     TEXT    NOT NULL,
    added_at     TEXT    NOT NULL
);

-- The audit log: append-only, each entry chained to the previous one by hash; the head row
-- serializes writers and lets `qpr audit verify` see a removed tail.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    details    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- The change feed: what derived data (the search index, other servers) must follow. The
-- sequence is taken from the head row inside the writing transaction, so it has no gaps and
-- follows commit order: a consumer that has seen N has seen everything up to N.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY,
    topic       TEXT    NOT NULL,
    report_id   INTEGER NOT NULL,
    revision_id INTEGER,
    created_at  TEXT    NOT NULL
);
CREATE TABLE outbox_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL
);
INSERT INTO outbox_head (id, seq) VALUES (1, 0);
