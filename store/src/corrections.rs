//! Table `corrections` (migration 0010): values a person set by hand for a performance or a
//! show, kept beside the source values and never over them (`formats.md` §6).
//!
//! Rows are only ever inserted: each correction sent is one row, the one in force for an
//! (organisation, target, field) is the latest, and a row with no value withdraws it (the
//! source value applies again). Each insertion writes its audit-log entry (who, when, old value,
//! new value, reason) in the same transaction. What a field and a value may be is decided by
//! the binary (`src/corrections.rs`), which validates before calling [`Store::add_correction`].

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// What a correction is about: one performance or every performance of a show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionTargetKind {
    Performance,
    Show,
}

impl CorrectionTargetKind {
    pub fn code(self) -> &'static str {
        match self {
            CorrectionTargetKind::Performance => "performance",
            CorrectionTargetKind::Show => "show",
        }
    }

    fn parse(code: &str) -> Option<CorrectionTargetKind> {
        match code {
            "performance" => Some(CorrectionTargetKind::Performance),
            "show" => Some(CorrectionTargetKind::Show),
            _ => None,
        }
    }
}

/// A correction to store (already validated).
#[derive(Clone, Debug)]
pub struct NewCorrection<'a> {
    pub target_kind: CorrectionTargetKind,
    pub target_id: &'a str,
    pub field: &'a str,
    /// What the facts held before (the source value), `None` if nothing.
    pub old_value: Option<&'a str>,
    /// The corrected value in `formats.md` §4's syntax; `None` withdraws the correction.
    pub value: Option<&'a str>,
    pub reason: &'a str,
    /// The person named by the request (`by`).
    pub by: &'a str,
    /// Who sent it: `utilisateur:EMAIL` or `jeton:NAME`.
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

/// A stored correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorrectionRecord {
    pub id: i64,
    pub org: String,
    pub target_kind: CorrectionTargetKind,
    pub target_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub value: Option<String>,
    pub reason: String,
    pub by: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Stores a correction and its audit-log entry in one transaction.
    pub async fn add_correction(
        &self,
        org: &str,
        c: &NewCorrection<'_>,
    ) -> Result<CorrectionRecord, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO corrections (org, target_kind, target_id, field, old_value, value, \
             reason, by_name, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING id",
        )
        .bind(org)
        .bind(c.target_kind.code())
        .bind(c.target_id)
        .bind(c.field)
        .bind(c.old_value)
        .bind(c.value)
        .bind(c.reason)
        .bind(c.by)
        .bind(c.actor)
        .bind(instant_to_db(c.at))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let details = serde_json::json!({
            "correction_id": id,
            "target": c.target_kind.code(),
            "target_id": c.target_id,
            "field": c.field,
            "old_value": c.old_value,
            "value": c.value,
            "reason": c.reason,
            "by": c.by,
        });
        let action = if c.value.is_some() {
            "correction"
        } else {
            "correction.withdrawn"
        };
        audit(&mut tx, org, c, action, &details).await?;
        tx.commit().await?;
        Ok(CorrectionRecord {
            id,
            org: org.to_string(),
            target_kind: c.target_kind,
            target_id: c.target_id.to_string(),
            field: c.field.to_string(),
            old_value: c.old_value.map(str::to_string),
            value: c.value.map(str::to_string),
            reason: c.reason.to_string(),
            by: c.by.to_string(),
            actor: c.actor.to_string(),
            at: c.at,
        })
    }

    /// Every correction sent for the organisation, withdrawals included, oldest first.
    pub async fn corrections(&self, org: &str) -> Result<Vec<CorrectionRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, org, target_kind, target_id, field, old_value, value, reason, by_name, \
             actor, at FROM corrections WHERE org = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(correction_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|c| c.id);
        Ok(out)
    }

    /// The corrections in force: for each (target, field) the latest row, unless it withdrew
    /// the correction. Sorted by target, then field.
    pub async fn corrections_in_force(
        &self,
        org: &str,
    ) -> Result<Vec<CorrectionRecord>, StoreError> {
        let mut latest: BTreeMap<(CorrectionTargetKind, String, String), CorrectionRecord> =
            BTreeMap::new();
        for c in self.corrections(org).await? {
            latest.insert((c.target_kind, c.target_id.clone(), c.field.clone()), c);
        }
        Ok(latest.into_values().filter(|c| c.value.is_some()).collect())
    }
}

/// The correction's audit-log entry. When the audit hash chain of issue 15 lands
/// (`audit_chain::append`), this insert must go through it like every other entry.
async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org: &str,
    c: &NewCorrection<'_>,
    action: &str,
    details: &serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (org, at, actor, action, body, month, details_json) \
         VALUES ($1, $2, $3, $4, NULL, NULL, $5)",
    )
    .bind(org)
    .bind(instant_to_db(c.at))
    .bind(c.actor)
    .bind(action)
    .bind(details.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn correction_from_row(row: &AnyRow) -> Result<CorrectionRecord, StoreError> {
    const TABLE: &str = "corrections";
    let id: i64 = row.try_get("id")?;
    let kind: String = row.try_get("target_kind")?;
    let target_kind = CorrectionTargetKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
        table: TABLE,
        key: id.to_string(),
        detail: format!("cible inconnue « {kind} »"),
    })?;
    Ok(CorrectionRecord {
        id,
        org: row.try_get("org")?,
        target_kind,
        target_id: row.try_get("target_id")?,
        field: row.try_get("field")?,
        old_value: row.try_get("old_value")?,
        value: row.try_get("value")?,
        reason: row.try_get("reason")?,
        by: row.try_get("by_name")?,
        actor: row.try_get("actor")?,
        at: instant_from_db(row.try_get("at")?, TABLE, || id.to_string())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::each_backend;

    fn correction<'a>(field: &'a str, value: Option<&'a str>, at: i64) -> NewCorrection<'a> {
        NewCorrection {
            target_kind: CorrectionTargetKind::Performance,
            target_id: "tickets_csv:P1",
            field,
            old_value: Some("chanson_variete"),
            value,
            reason: "erreur de saisie du programme",
            by: "Claire Martin, administratrice",
            actor: "jeton:outil-interne",
            at: DateTime::from_timestamp(at, 0).unwrap(),
        }
    }

    #[tokio::test]
    async fn the_latest_correction_is_in_force_and_a_withdrawal_removes_it() {
        each_backend(|store| async move {
            store
                .add_correction("digues", &correction("discipline", Some("theatre"), 100))
                .await
                .unwrap();
            store
                .add_correction("digues", &correction("discipline", Some("danse"), 200))
                .await
                .unwrap();
            store
                .add_correction("digues", &correction("capacity", Some("300"), 300))
                .await
                .unwrap();
            // Another organisation's corrections never show.
            store
                .add_correction("large", &correction("capacity", Some("50"), 300))
                .await
                .unwrap();
            let all = store.corrections("digues").await.unwrap();
            assert_eq!(all.len(), 3);
            assert_eq!(all[0].value.as_deref(), Some("theatre"));
            assert_eq!(all[0].old_value.as_deref(), Some("chanson_variete"));
            let in_force = store.corrections_in_force("digues").await.unwrap();
            let values: Vec<(&str, Option<&str>)> = in_force
                .iter()
                .map(|c| (c.field.as_str(), c.value.as_deref()))
                .collect();
            assert_eq!(
                values,
                [("capacity", Some("300")), ("discipline", Some("danse"))]
            );

            store
                .add_correction("digues", &correction("discipline", None, 400))
                .await
                .unwrap();
            let in_force = store.corrections_in_force("digues").await.unwrap();
            assert_eq!(in_force.len(), 1);
            assert_eq!(in_force[0].field, "capacity");
            // Every correction is in the audit log: who, when, old and new value, reason.
            let audit = store.audit_log("digues").await.unwrap();
            assert_eq!(audit.len(), 4);
            assert_eq!(audit[3].action, "correction.withdrawn");
            assert_eq!(audit[0].actor, "jeton:outil-interne");
            assert_eq!(audit[0].details["old_value"], "chanson_variete");
            assert_eq!(audit[0].details["value"], "theatre");
            assert_eq!(audit[0].details["reason"], "erreur de saisie du programme");
        })
        .await;
    }
}
