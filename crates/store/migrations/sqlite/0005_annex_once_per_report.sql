-- A report holds a file at most once: the file's SHA-256 names the annex within its report
-- (download and removal addresses), and the index serves the list of a report's annexes.
CREATE UNIQUE INDEX annexes_once_per_report ON annexes (report_id, blob_sha256);
