//! Tables `funder_shares` and `funder_downloads` (migration 0009): an organisation's decisions,
//! made from the workspace, to share its indicators with a funder or to withdraw them, and what
//! each funder last downloaded of an organisation's season.
//!
//! A decision is one row per (organisation, funder), replaced by the next one; every change
//! writes its audit-log entry (hash chain) in the same transaction. Which funders an
//! organisation shares with when it never decided anything (the configuration's
//! `share_indicators_with`), and who may read what, is decided by the server's access module.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::collections::BTreeMap;

/// One decision of an organisation about one funder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunderShare {
    pub org: String,
    pub funder: String,
    pub shared: bool,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// What a funder last downloaded of one organisation's season.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunderDownload {
    pub fingerprint: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Records that `org` shares (or no longer shares) its indicators with `funder`, with the
    /// audit-log entry (`sharing.funder_added` / `sharing.funder_withdrawn`). Returns `false`
    /// (and writes nothing) when the decision in force is already that one.
    pub async fn set_funder_share(
        &self,
        org: &str,
        funder: &str,
        shared: bool,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let current: Option<i64> =
            sqlx::query("SELECT shared FROM funder_shares WHERE org = $1 AND funder = $2")
                .bind(org)
                .bind(funder)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("shared"))
                .transpose()?;
        if current == Some(i64::from(shared)) {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO funder_shares (org, funder, shared, actor, at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (org, funder) DO UPDATE SET shared = excluded.shared, \
             actor = excluded.actor, at = excluded.at",
        )
        .bind(org)
        .bind(funder)
        .bind(i64::from(shared))
        .bind(actor)
        .bind(instant_to_db(at))
        .execute(&mut *tx)
        .await?;
        let backend = match (*tx).backend_name() {
            "PostgreSQL" => crate::connect::Backend::Postgres,
            _ => crate::connect::Backend::Sqlite,
        };
        let action = if shared {
            "sharing.funder_added"
        } else {
            "sharing.funder_withdrawn"
        };
        let entry = crate::audit_chain::NewEntry {
            org,
            at,
            actor,
            action,
            body: None,
            month: None,
            details_json: serde_json::json!({ "funder": funder, "shared": shared }).to_string(),
        };
        crate::audit_chain::append(&mut tx, backend, &entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every decision recorded, sorted by organisation then funder.
    pub async fn funder_shares(&self) -> Result<Vec<FunderShare>, StoreError> {
        let rows = sqlx::query("SELECT org, funder, shared, actor, at FROM funder_shares")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let org: String = row.try_get("org")?;
            let funder: String = row.try_get("funder")?;
            let key = format!("{org}/{funder}");
            out.push(FunderShare {
                shared: row.try_get::<i64, _>("shared")? != 0,
                actor: row.try_get("actor")?,
                at: instant_from_db(row.try_get("at")?, "funder_shares", || key.clone())?,
                org,
                funder,
            });
        }
        out.sort_by(|a, b| (&a.org, &a.funder).cmp(&(&b.org, &b.funder)));
        Ok(out)
    }

    /// Records what `funder` downloaded of `org`'s `season` (replacing the previous record).
    pub async fn record_funder_download(
        &self,
        funder: &str,
        org: &str,
        season: &str,
        fingerprint: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO funder_downloads (funder, org, season, fingerprint, at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (funder, org, season) DO UPDATE SET \
             fingerprint = excluded.fingerprint, at = excluded.at",
        )
        .bind(funder)
        .bind(org)
        .bind(season)
        .bind(fingerprint)
        .bind(instant_to_db(at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What `funder` last downloaded of each organisation's `season`, by organisation.
    pub async fn funder_downloads(
        &self,
        funder: &str,
        season: &str,
    ) -> Result<BTreeMap<String, FunderDownload>, StoreError> {
        let rows = sqlx::query(
            "SELECT org, fingerprint, at FROM funder_downloads WHERE funder = $1 AND season = $2",
        )
        .bind(funder)
        .bind(season)
        .fetch_all(&self.pool)
        .await?;
        let mut out = BTreeMap::new();
        for row in &rows {
            let org: String = row.try_get("org")?;
            let key = format!("{funder}/{org}/{season}");
            let download = FunderDownload {
                fingerprint: row.try_get("fingerprint")?,
                at: instant_from_db(row.try_get("at")?, "funder_downloads", || key.clone())?,
            };
            out.insert(org, download);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, each_backend};

    #[tokio::test]
    async fn decisions_replace_each_other_and_are_audited() {
        each_backend(|store| async move {
            let now = at("2026-01-10 10:00");
            assert!(store
                .set_funder_share("venue", "drac", true, "a@b.fr", now)
                .await
                .unwrap());
            assert!(!store
                .set_funder_share("venue", "drac", true, "a@b.fr", now)
                .await
                .unwrap());
            assert!(store
                .set_funder_share("venue", "drac", false, "a@b.fr", now)
                .await
                .unwrap());
            let shares = store.funder_shares().await.unwrap();
            assert_eq!(shares.len(), 1);
            assert!(!shares[0].shared);
            let chain = store.verify_audit_chain("venue").await.unwrap();
            assert_eq!((chain.entries, chain.broken), (2, None));

            store
                .record_funder_download("drac", "venue", "2025-2026", "abc", now)
                .await
                .unwrap();
            store
                .record_funder_download("drac", "venue", "2025-2026", "def", now)
                .await
                .unwrap();
            let downloads = store.funder_downloads("drac", "2025-2026").await.unwrap();
            assert_eq!(downloads["venue"].fingerprint, "def");
            assert!(store
                .funder_downloads("region", "2025-2026")
                .await
                .unwrap()
                .is_empty());
        })
        .await;
    }
}
