-- The Secretariat member who reviews a report (at most one; none until one is assigned).
-- Assignments are audited (`report.reviewer_assigned`).
CREATE TABLE report_reviewers (
    report_id    BIGINT  PRIMARY KEY REFERENCES reports (id),
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    assigned_at  TEXT    NOT NULL
);
CREATE INDEX report_reviewers_by_user ON report_reviewers (user_id);
