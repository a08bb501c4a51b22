-- The original submission date of an imported report (`YYYY-MM-DD`, from the node line of
-- the page published by the earlier platform: the page itself shows the year only), and when
-- an import published it. Reports submitted through qpr have neither: their date of
-- submission is the signature's. Imported reports published before this migration are the
-- published reports without a signature of their published revision; their date is read
-- from their documents when the store opens (`Store::fill_import_dates`).
ALTER TABLE reports ADD COLUMN submitted_on TEXT;
ALTER TABLE reports ADD COLUMN imported_at TEXT;
UPDATE reports SET imported_at = published_at
WHERE state = 'published' AND published_revision IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.revision_id = reports.published_revision);
