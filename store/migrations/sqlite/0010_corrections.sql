-- Corrections (formats.md §6, issue 10). Keep in step with ../postgres/0010_corrections.sql.
--
-- corrections: one row per correction sent (by the workspace form or the API), never updated:
-- the correction in force for (org, target, field) is the latest row, and a row whose value is
-- NULL withdraws it. The source value stays where the source put it (programme_entries,
-- performances); `old_value` is what the facts held when the correction was made.
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org         TEXT   NOT NULL,
    target_kind TEXT   NOT NULL,
    target_id   TEXT   NOT NULL,
    field       TEXT   NOT NULL,
    old_value   TEXT,
    value       TEXT,
    reason      TEXT   NOT NULL,
    by_name     TEXT   NOT NULL,
    actor       TEXT   NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX corrections_by_target ON corrections (org, target_kind, target_id, field);

-- Vendor push (formats.md §6): each Idempotency-Key of an organisation with the SHA-256 of the
-- body it came with and the answer given, so that a replay answers the same without applying
-- anything twice and another body under the same key is refused.
CREATE TABLE push_requests (
    org             TEXT   NOT NULL,
    idempotency_key TEXT   NOT NULL,
    body_sha256     TEXT   NOT NULL,
    status          BIGINT NOT NULL,
    answer_json     TEXT   NOT NULL,
    at              BIGINT NOT NULL,
    PRIMARY KEY (org, idempotency_key)
);
