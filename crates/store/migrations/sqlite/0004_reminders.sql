-- Deadline reminders: one row per report, deadline and threshold (60, 30 or 7 days before),
-- written when the reminder is claimed, so `qpr remind` run by several crons or servers sends
-- each reminder once. A changed deadline starts the reminders of the new one afresh.
CREATE TABLE reminders (
    report_id      INTEGER NOT NULL REFERENCES reports (id),
    deadline       TEXT    NOT NULL,
    threshold_days INTEGER NOT NULL,
    sent_at        TEXT    NOT NULL,
    recipients     INTEGER NOT NULL,
    PRIMARY KEY (report_id, deadline, threshold_days)
);

-- The revision a save was based on (what the author's editor showed). A save whose base is not
-- its parent was merged with saves made in between; revisions not made by a save have none.
ALTER TABLE revisions ADD COLUMN base_id INTEGER REFERENCES revisions (id);
