-- E-mails to an organisation's contact (issue 11): deadline reminders and run reports, one row
-- per message under a deterministic key, claimed before the SMTP exchange, so that neither a
-- re-run nor a crash ever sends the same message twice.
CREATE TABLE reminders (
    key             TEXT   NOT NULL PRIMARY KEY,
    org             TEXT   NOT NULL,
    -- deadline | run_report
    kind            TEXT   NOT NULL,
    recipient       TEXT   NOT NULL,
    subject         TEXT   NOT NULL,
    message_id      TEXT   NOT NULL,
    -- sending | sent | failed
    state           TEXT   NOT NULL,
    attempts        BIGINT NOT NULL,
    claimed_at      BIGINT NOT NULL,
    -- failed rows: when to try again (NULL: no more automatic attempts)
    next_attempt_at BIGINT,
    sent_at         BIGINT,
    -- the SMTP server's answer, or the last error
    answer          TEXT
);
