-- The job queue and the hash chain of the audit log (issue 15). Keep in step with
-- ../sqlite/0006_jobs_audit_chain.sql.
--
-- jobs: one row per piece of work asked for (a month's run of one organisation, …):
-- queued → running → succeeded | attention | failed. While a job is running its worker renews
-- `lease_until`; a running job whose lease has passed (its worker crashed) may be taken again.
-- At most one job per (org, month, kind) is queued or running: the partial unique index holds
-- that even when two processes enqueue at the same instant.
CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org          TEXT    NOT NULL,
    month        TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    requested_by TEXT    NOT NULL,
    requested_at BIGINT  NOT NULL,
    params_json  TEXT    NOT NULL,
    worker       TEXT,
    worker_host  TEXT,
    worker_pid   BIGINT,
    attempts     BIGINT  NOT NULL,
    started_at   BIGINT,
    heartbeat_at BIGINT,
    lease_until  BIGINT,
    finished_at  BIGINT,
    exit_status  BIGINT,
    message      TEXT
);
CREATE UNIQUE INDEX jobs_one_active ON jobs (org, month, kind)
    WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_month ON jobs (month, kind, state);

-- Each audit entry carries the hash of the previous entry of its organisation and its own
-- hash (SHA-256, hex); entries written before this migration have neither.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
