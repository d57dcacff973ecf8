-- Funders' side (issue 18). Keep in step with ../sqlite/0009_funder_sharing.sql.
--
-- funder_shares: an admin's latest decision, from the workspace, to share (1) or withdraw (0)
-- an organisation's indicators with a funder. It wins over the configuration's
-- `share_indicators_with` for that pair; each change also writes an entry of the audit log's
-- hash chain in the same transaction.
CREATE TABLE funder_shares (
    org    TEXT   NOT NULL,
    funder TEXT   NOT NULL,
    shared BIGINT NOT NULL,
    actor  TEXT   NOT NULL,
    at     BIGINT NOT NULL,
    PRIMARY KEY (org, funder)
);

-- funder_downloads: what a funder last downloaded of an organisation's season (a fingerprint of
-- the figures), so that its workspace can say which figures changed since.
CREATE TABLE funder_downloads (
    funder      TEXT   NOT NULL,
    org         TEXT   NOT NULL,
    season      TEXT   NOT NULL,
    fingerprint TEXT   NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (funder, org, season)
);
