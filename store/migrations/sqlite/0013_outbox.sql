-- The submission outbox (releve submit, serve): one row per (organisation, body, period,
-- version, channel), keyed by a deterministic idempotency key, and every exchange with the
-- body (requests and answers without secrets, each with its SHA-256).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT   NOT NULL UNIQUE,
    org             TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    period          TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    channel         TEXT   NOT NULL,
    -- queued | sending | sent | accepted | rejected | failed
    state           TEXT   NOT NULL,
    attempts        BIGINT NOT NULL,
    -- failed rows: when to try again (NULL: no more automatic attempts)
    next_attempt_at BIGINT,
    -- sending rows: who took it ("host:pid") and until when
    claimed_by      TEXT,
    lease_until     BIGINT,
    queued_by       TEXT   NOT NULL,
    queued_at       BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    -- what to send (JSON, channel-specific, never a secret) and its SHA-256
    payload         TEXT   NOT NULL,
    payload_sha256  TEXT   NOT NULL,
    receipt         TEXT,
    last_error      TEXT,
    warnings_json   TEXT   NOT NULL,
    UNIQUE (org, body, period, version, channel)
);

CREATE TABLE outbox_exchanges (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id      BIGINT NOT NULL,
    org            TEXT   NOT NULL,
    at             BIGINT NOT NULL,
    step           TEXT   NOT NULL,
    request        TEXT   NOT NULL,
    request_sha256 TEXT   NOT NULL,
    answer         TEXT,
    answer_sha256  TEXT
);
