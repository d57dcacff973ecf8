-- releve store, payroll (sqlite). Keep in step with ../postgres/0004_payroll.sql.
-- payroll_engagements: one row per contract and pay period, as payroll (DSN, payroll CSV) gives
-- it; a source's rows for one employer establishment and month are replaced as a whole on
-- re-import ("annule et remplace"). People are only known by a salted pseudonymous key.
-- Quantities and amounts are exact decimal text ("780.00"): they are copied from payroll files,
-- never computed here. Dates are ISO text (YYYY-MM-DD), months YYYY-MM.
-- pseudonym_salts: the salt generated once per organisation when RELEVE_PSEUDONYM_SALT is unset.

CREATE TABLE payroll_engagements (
    org               TEXT    NOT NULL,
    source            TEXT    NOT NULL,
    employer_siret    TEXT    NOT NULL,
    month             TEXT    NOT NULL,
    position          BIGINT  NOT NULL,
    person_key        TEXT    NOT NULL,
    sex               TEXT,
    role              TEXT    NOT NULL,
    contract_id       TEXT    NOT NULL,
    contract_nature   TEXT,
    pcs_ese           TEXT,
    intermittent      INTEGER NOT NULL,
    numero_objet      TEXT,
    period_start      TEXT    NOT NULL,
    period_end        TEXT    NOT NULL,
    hours             TEXT    NOT NULL,
    cachets           TEXT,
    gross_pay         TEXT    NOT NULL,
    conges_spectacles TEXT,
    PRIMARY KEY (org, source, employer_siret, month, position)
);
CREATE INDEX payroll_engagements_by_month ON payroll_engagements (org, month);

CREATE TABLE pseudonym_salts (
    org  TEXT NOT NULL PRIMARY KEY,
    salt TEXT NOT NULL
);
