//! Credentials stored from the workspace, encrypted at rest — the one module through which
//! releve seals, opens and rotates them (issue 11; `formats.md` §2 `[secrets]`).
//!
//! - What: an organisation's secrets that an admin enters in the workspace instead of the
//!   environment — vendors' API keys (`BILLETWEB_KEY` …) and the SIBIL account
//!   (`{sibil_credentials_env}_USERNAME` / `_PASSWORD`). Each is stored under the name of the
//!   environment variable it stands for; **a variable set in the environment wins**. The
//!   installation's own secrets (SACD provider account, SMTP) come from the environment only.
//! - How: [`seal`] (XChaCha20-Poly1305 under the master key of [`key`]), rows in the store's
//!   `stored_credentials` (ciphertext, nonce and key fingerprint only). Values are handed out as
//!   `SecretString`; nothing here logs or renders a value, and the workspace never shows one
//!   back (only "enregistré le … par …").
//! - Rotation ([`rotate`], `releve key rotate`): the new key is made readable first, every row
//!   is resealed in one transaction, and only then is the old key dropped, so a kill at any
//!   point leaves every credential readable.

pub mod key;
pub mod rotate;
pub mod seal;

use anyhow::{anyhow, Result};
use chrono::{DateTime, Utc};
use key::Keyring;
use releve_collectors::api::EnvLookup;
use releve_store::{Store, StoredCredential};
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Seals `value` under the current master key (creating the key file on first use) and
/// stores it as the organisation's `name`.
pub async fn store_value(
    store: &Store,
    key_file: &Path,
    org: &str,
    name: &str,
    value: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if value.trim().is_empty() {
        return Err(anyhow!("identifiant {name} : la valeur est vide"));
    }
    let ring = Keyring::load_or_create(key_file)?;
    let key = ring.current().ok_or_else(|| {
        anyhow!(
            "aucune clé maîtresse disponible ({})",
            ring.source.describe()
        )
    })?;
    let sealed = seal::seal(key, org, name, value.trim())?;
    store
        .put_credential(&StoredCredential {
            org: org.to_string(),
            name: name.to_string(),
            key_id: sealed.key_id,
            nonce: sealed.nonce,
            ciphertext: sealed.ciphertext,
            updated_by: by.to_string(),
            updated_at: now,
        })
        .await?;
    tracing::info!(org, variable = name, "credential stored (sealed)");
    Ok(())
}

fn sealed_of(row: &StoredCredential) -> seal::Sealed {
    seal::Sealed {
        key_id: row.key_id.clone(),
        nonce: row.nonce.clone(),
        ciphertext: row.ciphertext.clone(),
    }
}

/// The values of `names` for an organisation: from `env` when set there (it wins), else the
/// stored ones, opened. Names with neither are absent from the map. The key is read only when
/// a stored value is needed; a value that does not open is an error (French, what to do).
pub async fn resolve(
    store: &Store,
    key_file: &Path,
    env: &dyn EnvLookup,
    org: &str,
    names: &[String],
) -> Result<BTreeMap<String, SecretString>> {
    let mut values = BTreeMap::new();
    let mut wanted = Vec::new();
    for name in names {
        match env.var(name) {
            Some(v) if !v.trim().is_empty() => {
                values.insert(name.clone(), SecretString::from(v));
            }
            _ => wanted.push(name.as_str()),
        }
    }
    if wanted.is_empty() {
        return Ok(values);
    }
    let rows: Vec<StoredCredential> = store
        .stored_credentials(Some(org))
        .await?
        .into_iter()
        .filter(|r| wanted.contains(&r.name.as_str()))
        .collect();
    if rows.is_empty() {
        return Ok(values);
    }
    let ring = Keyring::load(key_file)?;
    for row in rows {
        let value = seal::open(&ring, org, &row.name, &sealed_of(&row))?;
        values.insert(row.name, value);
    }
    Ok(values)
}

/// An [`EnvLookup`] that answers the environment first, then the given stored values.
pub struct WithStored {
    pub env: Arc<dyn EnvLookup>,
    pub stored: BTreeMap<String, SecretString>,
}

impl EnvLookup for WithStored {
    fn var(&self, name: &str) -> Option<String> {
        match self.env.var(name) {
            Some(v) if !v.trim().is_empty() => Some(v),
            _ => self.stored.get(name).map(|s| s.expose_secret().to_string()),
        }
    }
}

#[cfg(test)]
mod tests;
