//! The hash chain of the audit log (migration 0006): every entry carries the SHA-256 of the
//! previous entry of its organisation (`prev_hash`) and its own (`hash`, computed over
//! `prev_hash` and every column), so that an entry changed, removed or inserted outside releve
//! breaks the chain at that point. `releve audit verify` walks it with [`Store::verify_audit_chain`].
//!
//! The chain knows nothing of what an entry means: every kind of entry (approvals, submissions,
//! approvals despite open points, …) goes through [`append`] and is chained the same way.
//! Entries written before migration 0006 have no hash; they are counted as such, and the chain
//! starts after them. Removing the last entries cannot be seen from the chain alone (nothing
//! comes after them); the outputs' recorded file hashes and backups cover that case.

use crate::codec::instant_to_db;
use crate::connect::{Backend, Store};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// One entry to append.
pub(crate) struct NewEntry<'a> {
    pub org: &'a str,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub body: Option<&'a str>,
    pub month: Option<String>,
    pub details_json: String,
}

/// Appends an entry, chained to the organisation's latest one, inside the caller's
/// transaction (so the entry and what it records are committed together).
pub(crate) async fn append(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    entry: &NewEntry<'_>,
) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        // Two appends for one organisation must not both chain to the same entry: the
        // transaction lock is released at commit. (SQLite writers already queue: the caller's
        // transaction began with BEGIN IMMEDIATE.)
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked")
            .bind(format!("releve-audit:{}", entry.org))
            .fetch_one(&mut **tx)
            .await?;
    }
    let previous: Option<String> = sqlx::query(
        "SELECT hash FROM audit_log WHERE org = $1 AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(entry.org)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| row.try_get("hash"))
    .transpose()?;
    let prev_hash = previous.unwrap_or_default();
    let fields = Fields {
        prev_hash: &prev_hash,
        org: entry.org,
        at: instant_to_db(entry.at),
        actor: entry.actor,
        action: entry.action,
        body: entry.body,
        month: entry.month.as_deref(),
        details_json: &entry.details_json,
    };
    sqlx::query(
        "INSERT INTO audit_log (org, at, actor, action, body, month, details_json, prev_hash, \
         hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.org)
    .bind(fields.at)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.body)
    .bind(entry.month.as_deref())
    .bind(&entry.details_json)
    .bind(&prev_hash)
    .bind(fields.hash())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The columns an entry's hash covers, as stored.
struct Fields<'a> {
    prev_hash: &'a str,
    org: &'a str,
    at: i64,
    actor: &'a str,
    action: &'a str,
    body: Option<&'a str>,
    month: Option<&'a str>,
    details_json: &'a str,
}

impl Fields<'_> {
    /// SHA-256 (hex) of the fields, each written as `<length>:<text>\n` (`-\n` when absent),
    /// so that no two different entries give the same text.
    fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        let at = self.at.to_string();
        for field in [
            Some(self.prev_hash),
            Some(self.org),
            Some(at.as_str()),
            Some(self.actor),
            Some(self.action),
            self.body,
            self.month,
            Some(self.details_json),
        ] {
            match field {
                Some(text) => hasher.update(format!("{}:{text}\n", text.len())),
                None => hasher.update("-\n"),
            }
        }
        hex::encode(hasher.finalize())
    }
}

/// What [`Store::verify_audit_chain`] found for one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Entries of the organisation.
    pub entries: usize,
    /// Entries written before the chain existed (no hash), at the start of the log.
    pub unchained: usize,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

/// The first entry whose link does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub id: i64,
    pub action: String,
    pub at: i64,
    /// In French: what does not hold.
    pub reason: String,
}

impl Store {
    /// Walks the organisation's audit log in the order it was written and reports the first
    /// entry whose hash or link to the previous entry does not hold.
    pub async fn verify_audit_chain(&self, org: &str) -> Result<ChainReport, StoreError> {
        let rows = sqlx::query(
            "SELECT id, org, at, actor, action, body, month, details_json, prev_hash, hash \
             FROM audit_log WHERE org = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in &rows {
            entries.push(StoredEntry {
                id: row.try_get("id")?,
                org: row.try_get("org")?,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                action: row.try_get("action")?,
                body: row.try_get("body")?,
                month: row.try_get("month")?,
                details_json: row.try_get("details_json")?,
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            });
        }
        entries.sort_by_key(|e| e.id);
        Ok(verify(&entries))
    }
}

struct StoredEntry {
    id: i64,
    org: String,
    at: i64,
    actor: String,
    action: String,
    body: Option<String>,
    month: Option<String>,
    details_json: String,
    prev_hash: Option<String>,
    hash: Option<String>,
}

fn verify(entries: &[StoredEntry]) -> ChainReport {
    let unchained = entries.iter().take_while(|e| e.hash.is_none()).count();
    let mut report = ChainReport {
        entries: entries.len(),
        unchained,
        broken: None,
    };
    let mut previous = String::new();
    for entry in &entries[unchained..] {
        let broken = |reason: &str| BrokenLink {
            id: entry.id,
            action: entry.action.clone(),
            at: entry.at,
            reason: reason.to_string(),
        };
        let (Some(prev_hash), Some(hash)) = (&entry.prev_hash, &entry.hash) else {
            report.broken = Some(broken(
                "entrée sans empreinte au milieu de la chaîne (ajoutée hors de releve ?)",
            ));
            return report;
        };
        if prev_hash != &previous {
            report.broken = Some(broken(
                "son lien ne désigne pas l'entrée qui la précède : une entrée a été supprimée, \
                 insérée ou modifiée avant elle",
            ));
            return report;
        }
        let fields = Fields {
            prev_hash,
            org: &entry.org,
            at: entry.at,
            actor: &entry.actor,
            action: &entry.action,
            body: entry.body.as_deref(),
            month: entry.month.as_deref(),
            details_json: &entry.details_json,
        };
        if &fields.hash() != hash {
            report.broken = Some(broken(
                "son contenu a été modifié depuis son enregistrement",
            ));
            return report;
        }
        previous = hash.clone();
    }
    report
}

#[cfg(test)]
mod tests;
