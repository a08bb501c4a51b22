-- The share of the applicable questions each revision answers (0-100, what the status board
-- shows), written with the revision, so that the board reads no documents. Revisions are
-- immutable, so it lives beside them. Revisions written before this migration get theirs when
-- the store opens (`Store::fill_completeness`); a revision of a framework that is not built
-- in has none, and the board computes it from the document.
CREATE TABLE revision_completeness (
    revision_id  INTEGER PRIMARY KEY REFERENCES revisions (id),
    percent      INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100)
);
