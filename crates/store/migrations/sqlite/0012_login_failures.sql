-- Failed logins (and password checks) counted per key: `email:<address>` or `ip:<address>`,
-- in the database so that every server of one platform counts the same failures (a guesser
-- spread over three nodes gets one allowance, not three). `since` opens the key's window;
-- a failure after the window starts a new one. Rows of closed windows are deleted as failures
-- come in.
CREATE TABLE login_failures (
    key       TEXT    PRIMARY KEY,
    failures  INTEGER NOT NULL,
    since     TEXT    NOT NULL
);
CREATE INDEX login_failures_since ON login_failures (since);
