-- Credentials an administrator stored from the workspace (vendors' API keys, the SIBIL account),
-- encrypted by releve with its master key (AEAD): the database never holds them in clear.
-- `name` is the environment variable the value stands for (BILLETWEB_KEY, SIBIL_DIGUES_PASSWORD):
-- a variable set in the environment wins over the stored value.
CREATE TABLE stored_credentials (
    org         TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    -- fingerprint of the master key that sealed it (rotation, clear errors on a wrong key)
    key_id      TEXT   NOT NULL,
    -- hex: the AEAD nonce and the ciphertext with its tag
    nonce       TEXT   NOT NULL,
    ciphertext  TEXT   NOT NULL,
    updated_by  TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org, name)
);
