//! Table `stored_credentials` (migration 0008): credentials an administrator entered in the
//! workspace, already sealed by the binary's encrypted-credentials module (`src/credentials/`).
//! The store never sees a value in clear: it keeps the AEAD nonce and ciphertext (hex) and the
//! fingerprint of the master key that sealed them, one row per (organisation, variable name).
//!
//! Rotation ([`Store::reseal_credentials`]) rewrites every row in one transaction, each only if
//! it still carries the key it was read with: a rotation killed before its commit leaves every
//! row under the old key, one killed after leaves every row under the new one — never a mix.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One sealed credential as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCredential {
    pub org: String,
    /// The environment variable it stands for (`BILLETWEB_KEY`, `SIBIL_DIGUES_PASSWORD`).
    pub name: String,
    pub key_id: String,
    pub nonce: String,
    pub ciphertext: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

// The ciphertext is not secret, but a debug print has no use for it.
impl std::fmt::Debug for StoredCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredCredential")
            .field("org", &self.org)
            .field("name", &self.name)
            .field("key_id", &self.key_id)
            .field("updated_by", &self.updated_by)
            .finish_non_exhaustive()
    }
}

/// A row sealed again under another key (rotation).
#[derive(Clone, Debug)]
pub struct Resealed {
    pub org: String,
    pub name: String,
    /// The key the row must still carry for the rewrite to apply.
    pub old_key_id: String,
    pub key_id: String,
    pub nonce: String,
    pub ciphertext: String,
}

impl Store {
    /// Stores (or replaces) a sealed credential.
    pub async fn put_credential(&self, row: &StoredCredential) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM stored_credentials WHERE org = $1 AND name = $2")
            .bind(&row.org)
            .bind(&row.name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO stored_credentials (org, name, key_id, nonce, ciphertext, updated_by, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&row.org)
        .bind(&row.name)
        .bind(&row.key_id)
        .bind(&row.nonce)
        .bind(&row.ciphertext)
        .bind(&row.updated_by)
        .bind(instant_to_db(row.updated_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The sealed credentials of an organisation (every organisation with `None`), sorted by
    /// organisation and name.
    pub async fn stored_credentials(
        &self,
        org: Option<&str>,
    ) -> Result<Vec<StoredCredential>, StoreError> {
        let rows = sqlx::query(
            "SELECT org, name, key_id, nonce, ciphertext, updated_by, updated_at \
             FROM stored_credentials",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut list = rows
            .iter()
            .map(|row| {
                let org: String = row.try_get("org")?;
                let name: String = row.try_get("name")?;
                let key = format!("{org}:{name}");
                Ok(StoredCredential {
                    updated_at: instant_from_db(
                        row.try_get("updated_at")?,
                        "stored_credentials",
                        || key.clone(),
                    )?,
                    org,
                    name,
                    key_id: row.try_get("key_id")?,
                    nonce: row.try_get("nonce")?,
                    ciphertext: row.try_get("ciphertext")?,
                    updated_by: row.try_get("updated_by")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        list.retain(|c| org.is_none_or(|o| c.org == o));
        list.sort_by(|a, b| (&a.org, &a.name).cmp(&(&b.org, &b.name)));
        Ok(list)
    }

    /// Removes a stored credential; `false` when there was none.
    pub async fn delete_credential(&self, org: &str, name: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM stored_credentials WHERE org = $1 AND name = $2")
            .bind(org)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Rewrites every given row under its new key, all in one transaction. Fails (and changes
    /// nothing) if a row is gone or no longer carries `old_key_id` (someone stored a credential
    /// meanwhile): the rotation is then simply run again.
    pub async fn reseal_credentials(&self, rows: &[Resealed]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for r in rows {
            let done = sqlx::query(
                "UPDATE stored_credentials SET key_id = $1, nonce = $2, ciphertext = $3 \
                 WHERE org = $4 AND name = $5 AND key_id = $6",
            )
            .bind(&r.key_id)
            .bind(&r.nonce)
            .bind(&r.ciphertext)
            .bind(&r.org)
            .bind(&r.name)
            .bind(&r.old_key_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Corrupt {
                    table: "stored_credentials",
                    key: format!("{}:{}", r.org, r.name),
                    detail: "identifiant modifié ou supprimé pendant le changement de clé ; relancez `releve key rotate`"
                        .into(),
                });
            }
        }
        crate::faults::point("credentials.reseal_commit");
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, each_backend};

    fn row(name: &str, key_id: &str, ciphertext: &str) -> StoredCredential {
        StoredCredential {
            org: "venue".into(),
            name: name.into(),
            key_id: key_id.into(),
            nonce: "00".into(),
            ciphertext: ciphertext.into(),
            updated_by: "admin@venue.fr".into(),
            updated_at: at("2025-12-05 09:00"),
        }
    }

    #[tokio::test]
    async fn stored_replaced_resealed_all_or_nothing_and_deleted() {
        each_backend(|store| async move {
            store
                .put_credential(&row("BW_USER", "k1", "aa"))
                .await
                .unwrap();
            store
                .put_credential(&row("BW_KEY", "k1", "bb"))
                .await
                .unwrap();
            store
                .put_credential(&row("BW_KEY", "k1", "cc"))
                .await
                .unwrap();
            let list = store.stored_credentials(Some("venue")).await.unwrap();
            let names: Vec<(&str, &str)> = list
                .iter()
                .map(|c| (c.name.as_str(), c.ciphertext.as_str()))
                .collect();
            assert_eq!(names, vec![("BW_KEY", "cc"), ("BW_USER", "aa")]);
            assert!(store
                .stored_credentials(Some("other"))
                .await
                .unwrap()
                .is_empty());

            let reseal = |name: &str, old: &str| Resealed {
                org: "venue".into(),
                name: name.into(),
                old_key_id: old.into(),
                key_id: "k2".into(),
                nonce: "11".into(),
                ciphertext: format!("new-{name}"),
            };
            // A row that no longer carries the key it was read with: nothing is rewritten.
            let err = store
                .reseal_credentials(&[reseal("BW_KEY", "k1"), reseal("BW_USER", "k0")])
                .await
                .unwrap_err();
            assert!(
                err.to_string().contains("relancez `releve key rotate`"),
                "{err}"
            );
            let list = store.stored_credentials(None).await.unwrap();
            assert!(list.iter().all(|c| c.key_id == "k1"), "{list:?}");
            store
                .reseal_credentials(&[reseal("BW_KEY", "k1"), reseal("BW_USER", "k1")])
                .await
                .unwrap();
            let list = store.stored_credentials(None).await.unwrap();
            assert!(list.iter().all(|c| c.key_id == "k2"), "{list:?}");
            assert_eq!(list[0].ciphertext, "new-BW_KEY");
            assert!(store.delete_credential("venue", "BW_KEY").await.unwrap());
            assert!(!store.delete_credential("venue", "BW_KEY").await.unwrap());
            assert_eq!(store.stored_credentials(None).await.unwrap().len(), 1);
        })
        .await;
    }
}
