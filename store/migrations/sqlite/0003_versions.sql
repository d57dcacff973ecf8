-- Declaration versions and the audit log (domain.md §6).
-- One row per version of a declaration (org, body, month): the model as JSON, the SHA-256 of
-- each rendered file, and its lifecycle: draft → approved → submitted → accepted | rejected;
-- a draft replaced by a newer model becomes superseded. `amends` is the number of the
-- approved/submitted version an amendment draft corrects.
CREATE TABLE declaration_versions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org               TEXT    NOT NULL,
    body              TEXT    NOT NULL,
    month             TEXT    NOT NULL,
    number            INTEGER NOT NULL,
    status            TEXT    NOT NULL,
    model_json        TEXT    NOT NULL,
    files_json        TEXT    NOT NULL,
    amends            INTEGER,
    created_at        BIGINT  NOT NULL,
    approved_by       TEXT,
    approved_at       BIGINT,
    submitted_channel TEXT,
    submitted_receipt TEXT,
    submitted_at      BIGINT,
    answered_at       BIGINT,
    answer            TEXT,
    UNIQUE (org, body, month, number)
);

-- Who did what, when: approvals, submissions, answers, amendment drafts.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org          TEXT   NOT NULL,
    at           BIGINT NOT NULL,
    actor        TEXT   NOT NULL,
    action       TEXT   NOT NULL,
    body         TEXT,
    month        TEXT,
    details_json TEXT   NOT NULL
);
CREATE INDEX audit_log_by_org ON audit_log (org, at);
