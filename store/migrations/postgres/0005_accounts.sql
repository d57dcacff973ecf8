-- People and programs that use the server (releve serve): users with their memberships,
-- browser sessions and API tokens. Secrets are never stored: a password is an argon2 PHC
-- string, a session or API token only its SHA-256.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT   NOT NULL UNIQUE,
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

-- One row per (user, organisation, role): a person may hold several roles in one
-- organisation and belong to several organisations (formats.md §7).
CREATE TABLE memberships (
    user_id    BIGINT NOT NULL,
    org        TEXT   NOT NULL,
    role       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, org, role)
);

-- Readers of a funder's view (formats.md §1 user add --funder).
CREATE TABLE funder_readers (
    user_id    BIGINT NOT NULL,
    funder     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, funder)
);

-- Browser sessions: the cookie carries a random token, the table only its hash.
CREATE TABLE sessions (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    csrf_token TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- API tokens (releve token create): scope read | write | push for one organisation,
-- ministry for every sharing organisation, funder for one funder.
CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT   NOT NULL UNIQUE,
    token_hash   TEXT   NOT NULL UNIQUE,
    scope        TEXT   NOT NULL,
    org          TEXT,
    funder       TEXT,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
