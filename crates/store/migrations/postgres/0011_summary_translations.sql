-- The Secretariat's translation of a report's executive summary into English or French (at
-- most one per report and language). `revision_id` is the revision whose summary was
-- translated. Attaching again replaces the row, removing deletes it; both are audited
-- (`report.summary_translation_attached` with the text, `report.summary_translation_removed`),
-- so every text ever attached stays in the audit log.
CREATE TABLE summary_translations (
    report_id    BIGINT  NOT NULL REFERENCES reports (id),
    lang         TEXT    NOT NULL CHECK (lang IN ('en', 'fr')),
    body         TEXT    NOT NULL,
    revision_id  BIGINT  NOT NULL REFERENCES revisions (id),
    attached_by  BIGINT  NOT NULL REFERENCES users (id),
    attached_at  TEXT    NOT NULL,
    PRIMARY KEY (report_id, lang)
);
