-- Messages the Secretariat sends from the status board to the focal points of the reports a
-- filter keeps. `token` is the one the preview handed out: sending claims it (one statement),
-- so a form sent twice, or by two servers at once, sends the message once.
CREATE TABLE board_messages (
    token        TEXT    PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES cycles (id),
    subject      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    sent_by      INTEGER NOT NULL REFERENCES users (id),
    sent_at      TEXT    NOT NULL,
    recipients   INTEGER NOT NULL
);
