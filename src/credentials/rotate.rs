//! `releve key rotate --config FILE` (`formats.md` §1): every stored credential resealed under a
//! new master key, crash-safe.
//!
//! With the key file (the usual case):
//! 1. every row is opened first (a row that does not open stops everything, nothing changed);
//! 2. the new key is appended to the key file (atomic rewrite): both keys are readable, the
//!    old one still seals;
//! 3. every row is resealed under the new key in **one** transaction;
//! 4. the key file is rewritten with the new key alone (plus any key a row still uses — one
//!    stored from the workspace during the rotation).
//!
//! A kill before 3 commits leaves every row under the old key, which is still in the file; a
//! kill after leaves every row under the new key, which is already in the file. Running the
//! command again finishes the job either way.
//!
//! With `RELEVE_MASTER_KEY`, releve cannot rewrite the variable: the new key comes from
//! `RELEVE_NEW_MASTER_KEY`; both are readable during the rotation, and the command then says to
//! put the new value in `RELEVE_MASTER_KEY`.

use crate::config::Config;
use crate::credentials::key::{write_key_file, KeySource, Keyring, MasterKey, NEW_ENV};
use crate::credentials::{seal, sealed_of};
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use releve_store::faults;
use releve_store::{Resealed, Store, StoredCredential};
use secrecy::{ExposeSecret, SecretString};
use std::io::Write;
use std::path::Path;

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    pub resealed: usize,
    pub key_id: String,
    pub source: KeySource,
}

/// Opens every row with the keyring (before anything is changed).
fn open_all(ring: &Keyring, rows: &[StoredCredential]) -> Result<Vec<SecretString>> {
    rows.iter()
        .map(|r| seal::open(ring, &r.org, &r.name, &sealed_of(r)))
        .collect()
}

async fn reseal_all(
    store: &Store,
    ring: &Keyring,
    rows: &[StoredCredential],
    new: &MasterKey,
) -> Result<()> {
    let values = open_all(ring, rows)?;
    let mut resealed = Vec::new();
    for (row, value) in rows.iter().zip(&values) {
        let sealed = seal::seal(new, &row.org, &row.name, value.expose_secret())?;
        resealed.push(Resealed {
            org: row.org.clone(),
            name: row.name.clone(),
            old_key_id: row.key_id.clone(),
            key_id: sealed.key_id,
            nonce: sealed.nonce,
            ciphertext: sealed.ciphertext,
        });
    }
    store.reseal_credentials(&resealed).await?;
    Ok(())
}

/// Reseals every stored credential under a new master key (see the module doc).
pub async fn rotate(store: &Store, key_file: &Path) -> Result<Rotation> {
    let ring = Keyring::load(key_file)?;
    let rows = store.stored_credentials(None).await?;
    // Fail before changing anything when a row does not open.
    open_all(&ring, &rows)?;
    match ring.source.clone() {
        KeySource::Env => {
            let new = ring.keys.get(1).ok_or_else(|| {
                anyhow!(
                    "RELEVE_MASTER_KEY est définie : releve ne peut pas la réécrire. Mettez la nouvelle clé dans \
                     {NEW_ENV} (32 octets en base64, par exemple `openssl rand -base64 32`) et relancez `releve key rotate`."
                )
            })?;
            reseal_all(store, &ring, &rows, new).await?;
            faults::point("credentials.rotate_committed");
            Ok(Rotation {
                resealed: rows.len(),
                key_id: new.id(),
                source: KeySource::Env,
            })
        }
        KeySource::File(path) => {
            let new = MasterKey::generate()?;
            let mut readable: Vec<&MasterKey> = ring.keys.iter().collect();
            readable.push(&new);
            write_key_file(&path, &readable)?;
            faults::point("credentials.rotate_key_added");
            let ring = Keyring::load(&path)?;
            reseal_all(store, &ring, &rows, &new).await?;
            faults::point("credentials.rotate_committed");
            // A credential stored from the workspace meanwhile went under the old key: reseal it
            // too, and keep any key a row still uses.
            let late: Vec<StoredCredential> = store
                .stored_credentials(None)
                .await?
                .into_iter()
                .filter(|r| r.key_id != new.id())
                .collect();
            if !late.is_empty() {
                reseal_all(store, &ring, &late, &new).await?;
            }
            let still_used: Vec<String> = store
                .stored_credentials(None)
                .await?
                .into_iter()
                .map(|r| r.key_id)
                .collect();
            let mut keep: Vec<&MasterKey> = vec![&new];
            keep.extend(
                ring.keys
                    .iter()
                    .filter(|k| k.id() != new.id() && still_used.contains(&k.id())),
            );
            write_key_file(&path, &keep)?;
            Ok(Rotation {
                resealed: rows.len() + late.len(),
                key_id: new.id(),
                source: KeySource::File(path),
            })
        }
    }
}

/// The command: prints what was done, in French.
pub async fn command(config: &Path, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(config)?;
    let store = Store::connect(&config.database_url).await?;
    let key_file = &config.submission.key_file;
    if store.stored_credentials(None).await?.is_empty() && !key_file.exists() {
        if let KeySource::File(_) = KeySource::resolve(key_file) {
            bail!(
                "aucun identifiant enregistré et pas encore de clé maîtresse ({}) : rien à changer. \
                 La clé est créée au premier identifiant enregistré dans l'espace de travail.",
                key_file.display()
            );
        }
    }
    let done = rotate(&store, key_file).await?;
    let s = if done.resealed > 1 { "s" } else { "" };
    writeln!(
        out,
        "Clé maîtresse changée : {} identifiant{s} enregistré{s} rechiffré{s} sous la clé d'empreinte {}.",
        done.resealed, done.key_id
    )?;
    match &done.source {
        KeySource::File(path) => writeln!(
            out,
            "La nouvelle clé est dans {} (mode 0600) ; l'ancienne n'y est plus. Sauvegardez ce fichier à part de la base.",
            path.display()
        )?,
        KeySource::Env => writeln!(
            out,
            "Remplacez maintenant la valeur de RELEVE_MASTER_KEY par celle de {NEW_ENV}, puis retirez {NEW_ENV}."
        )?,
    }
    Ok(Status::Success)
}
