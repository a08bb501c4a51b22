-- Signatures of submitted revisions: the signature envelope (JSON, qpr-signature/1) of each
-- submission. Append-only like revisions: a resubmission adds a row, the old one stays
-- (superseded); a recalled submission keeps its row.
CREATE TABLE signatures (
    revision_id  BIGINT PRIMARY KEY REFERENCES revisions (id),
    report_id    BIGINT NOT NULL REFERENCES reports (id),
    envelope     TEXT    NOT NULL,
    signed_at    TEXT    NOT NULL
);
CREATE INDEX signatures_by_report ON signatures (report_id, signed_at);
CREATE FUNCTION signatures_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'signatures are immutable and never deleted';
END;
$$;
CREATE TRIGGER signatures_are_immutable BEFORE UPDATE OR DELETE ON signatures
    FOR EACH ROW EXECUTE FUNCTION signatures_refuse_change();
