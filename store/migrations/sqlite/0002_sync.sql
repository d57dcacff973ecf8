-- releve store, vendor API sync state (sqlite). Keep in step with ../postgres/0002_sync.sql.
-- source_cursors: where the next incremental sync of an API source starts (unix seconds UTC);
-- written only after a successful sync, in the same transaction as its raw exchanges.
-- raw_exchanges: every vendor call of a sync, secrets already scrubbed by the collector, kept so
-- that a mapping fix re-normalises stored answers without calling the vendor again.

CREATE TABLE source_cursors (
    org        TEXT   NOT NULL,
    source     TEXT   NOT NULL,
    cursor_at  BIGINT NOT NULL,
    PRIMARY KEY (org, source)
);

CREATE TABLE raw_exchanges (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org        TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    sync_at    BIGINT  NOT NULL,
    position   BIGINT  NOT NULL,
    vendor     TEXT    NOT NULL,
    endpoint   TEXT    NOT NULL,
    request    TEXT    NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    fetched_at BIGINT  NOT NULL
);
CREATE INDEX raw_exchanges_by_source ON raw_exchanges (org, source, sync_at, position);
