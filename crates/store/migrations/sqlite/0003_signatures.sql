-- Signatures of submitted revisions: the signature envelope (JSON, qpr-signature/1) of each
-- submission. Append-only like revisions: a resubmission adds a row, the old one stays
-- (superseded); a recalled submission keeps its row.
CREATE TABLE signatures (
    revision_id  INTEGER PRIMARY KEY REFERENCES revisions (id),
    report_id    INTEGER NOT NULL REFERENCES reports (id),
    envelope     TEXT    NOT NULL,
    signed_at    TEXT    NOT NULL
);
CREATE INDEX signatures_by_report ON signatures (report_id, signed_at);
CREATE TRIGGER signatures_are_immutable BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are immutable'); END;
CREATE TRIGGER signatures_are_kept BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END;
