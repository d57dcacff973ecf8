-- releve store, company register cache (postgres). Keep in step with ../sqlite/0007_registry.sql.
-- registry_answers: the last answer of the public company register ("Recherche d'entreprises")
-- for one SIRET or SIREN, kept exactly as received with its SHA-256 and the time it was fetched
-- (unix seconds UTC). Public data about companies, shared by every organisation of the
-- installation: the one table not keyed by organisation. No personal data: only the number
-- asked is ever sent, and the register does not return people.

CREATE TABLE registry_answers (
    number     TEXT   NOT NULL PRIMARY KEY,
    request    TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    sha256     TEXT   NOT NULL,
    fetched_at BIGINT NOT NULL
);
