-- The imported reports whose original submission date `Store::fill_import_dates` has still to
-- read from their documents: those published before migration 0007 kept the date and still
-- without one. Each is read once, then removed from here whether its page told the date or
-- not (before this table, a report whose page does not tell was read again at every start:
-- 15 s per start with 2,384 imported reports). Reports imported since 0007 get their date at
-- import and never come here.
CREATE TABLE import_dates_unread (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id)
);
INSERT INTO import_dates_unread (report_id)
SELECT id FROM reports WHERE imported_at IS NOT NULL AND submitted_on IS NULL AND state = 'published';
