-- releve store, initial schema (PostgreSQL). Keep in step with ../sqlite/0001_init.sql.
-- Conventions: every table is keyed by `org` (organisation slug); money in integer cents (BIGINT);
-- instants in unix seconds UTC (BIGINT); VAT rates as TEXT ("5.5"); flags as INTEGER 0/1
-- (INTEGER rather than BOOLEAN so that both backends decode them the same way).

CREATE TABLE organisations (
    slug              TEXT    NOT NULL PRIMARY KEY,
    name              TEXT    NOT NULL,
    siret             TEXT    NOT NULL,
    licence           TEXT,
    subsidised        INTEGER NOT NULL CHECK (subsidised IN (0, 1)),
    sacem_client_id   TEXT,
    sacd_declarant_id TEXT,
    address           TEXT,
    postal_code       TEXT,
    city              TEXT
);

CREATE TABLE performances (
    org               TEXT    NOT NULL,
    source            TEXT    NOT NULL,
    external_id       TEXT    NOT NULL,
    show_id           TEXT    NOT NULL,
    show_title        TEXT    NOT NULL,
    starts_at         BIGINT  NOT NULL,
    venue_name        TEXT    NOT NULL,
    venue_address     TEXT,
    venue_postal_code TEXT,
    venue_city        TEXT,
    venue_type        TEXT,
    capacity          BIGINT,
    cancelled         INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
    PRIMARY KEY (org, source, external_id)
);
CREATE INDEX performances_by_start ON performances (org, starts_at);

CREATE TABLE tickets (
    org                     TEXT   NOT NULL,
    source                  TEXT   NOT NULL,
    ticket_id               TEXT   NOT NULL,
    performance_external_id TEXT   NOT NULL,
    price_cents             BIGINT NOT NULL,
    vat_rate                TEXT   NOT NULL,
    status                  TEXT   NOT NULL,
    price_category          TEXT,
    price_kind              TEXT,
    sold_at                 BIGINT,
    PRIMARY KEY (org, source, ticket_id)
);
CREATE INDEX tickets_by_performance ON tickets (org, source, performance_external_id);

-- One row per programme entry of the latest import of a source; `position` is the index in that
-- import (the line alone is not unique across the files or calendars of one source).
CREATE TABLE programme_entries (
    org            TEXT   NOT NULL,
    source         TEXT   NOT NULL,
    position       BIGINT NOT NULL,
    line           BIGINT NOT NULL,
    starts_at      BIGINT NOT NULL,
    performance_id TEXT,
    entry_json     TEXT   NOT NULL,
    PRIMARY KEY (org, source, position)
);
CREATE INDEX programme_entries_by_start ON programme_entries (org, starts_at);

-- The open quarantine: the rows of the latest import of each source.
CREATE TABLE quarantine (
    org        TEXT   NOT NULL,
    source     TEXT   NOT NULL,
    position   BIGINT NOT NULL,
    line       BIGINT,
    column_ref TEXT,
    reason     TEXT   NOT NULL,
    raw        TEXT   NOT NULL,
    PRIMARY KEY (org, source, position)
);

CREATE TABLE runs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org         TEXT   NOT NULL,
    command     TEXT   NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    counts_json TEXT,
    outcome     TEXT,
    message     TEXT
);
CREATE INDEX runs_by_org ON runs (org, started_at);
