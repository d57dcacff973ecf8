//! Tables `declaration_versions` and `audit_log` (migration 0003): the versions of each
//! declaration (organisation, body, month) and who did what to them (`domain.md` §6).
//!
//! - Every monthly run calls [`Store::record_draft`] with the model and the SHA-256 of each
//!   rendered file. The same model as the current version gives back that version (idempotent);
//!   a different model gives a new version number. A draft replaced by a newer model becomes
//!   `superseded`.
//! - Lifecycle: `draft` → `approved` (who, when; the version is frozen) → `submitted` (channel,
//!   receipt) → `accepted` or `rejected`. Frozen versions are never updated by a run. An
//!   approved version that was never sent becomes `superseded` when the version correcting it
//!   is approved.
//! - A run whose model differs from the latest approved/submitted/accepted version creates an
//!   **amendment** draft that names it (`amends`); the declarations crate computes the
//!   difference from both models.
//! - The audit log records approvals, submissions, answers and amendment drafts, with details
//!   as JSON.
//!
//! Models are compared on their compact JSON text, which the declaration builders make
//! deterministic.
//!
//! A version covers a [`Span`]: a month, or (SACD) any period. Every method taking a span
//! accepts a [`Month`]; [`Store::versions`] lists the monthly versions only (what every monthly
//! screen and command expects) and [`Store::period_versions`] the period ones.

use crate::codec::{instant_from_db, instant_to_db, unsigned_from_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::Month;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::fmt;

mod span;
pub use span::Span;

/// Where a version is in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    /// Replaced by a newer draft before approval.
    Superseded,
    Approved,
    Submitted,
    Accepted,
    Rejected,
}

impl VersionStatus {
    pub fn code(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::Superseded => "superseded",
            VersionStatus::Approved => "approved",
            VersionStatus::Submitted => "submitted",
            VersionStatus::Accepted => "accepted",
            VersionStatus::Rejected => "rejected",
        }
    }

    fn parse(code: &str) -> Option<VersionStatus> {
        [
            VersionStatus::Draft,
            VersionStatus::Superseded,
            VersionStatus::Approved,
            VersionStatus::Submitted,
            VersionStatus::Accepted,
            VersionStatus::Rejected,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// In French, for messages and documents.
    pub fn label_fr(self) -> &'static str {
        match self {
            VersionStatus::Draft => "brouillon",
            VersionStatus::Superseded => "remplacée",
            VersionStatus::Approved => "approuvée",
            VersionStatus::Submitted => "transmise",
            VersionStatus::Accepted => "acceptée",
            VersionStatus::Rejected => "rejetée",
        }
    }

    /// Approved, submitted or accepted: frozen, and the base of any later amendment.
    pub fn is_frozen_base(self) -> bool {
        matches!(
            self,
            VersionStatus::Approved | VersionStatus::Submitted | VersionStatus::Accepted
        )
    }
}

impl fmt::Display for VersionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One rendered file of a version and its SHA-256 (hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    pub name: String,
    pub sha256: String,
}

/// What an approval records beyond who and when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The signatory's reason for approving although points were open (`--despite`).
    pub despite: Option<String>,
    /// The open points overridden, in French, as they were listed.
    pub overridden: Vec<String>,
    /// The files frozen in `versions/` and their SHA-256.
    pub frozen_files: Vec<FileHash>,
}

/// How a version was submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// `api`, `portail`, `email`, `xml`…
    pub channel: String,
    /// The body's receipt (id, message), as given.
    pub receipt: String,
    pub at: DateTime<Utc>,
}

/// One version of a declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRecord {
    pub id: i64,
    pub org: String,
    pub body: String,
    /// The month covered; for a period, the month of its first day.
    pub month: Month,
    /// What the version covers: `Span::Month(month)`, or a SACD period.
    pub span: Span,
    /// 1, 2, … per (org, body, span).
    pub number: u32,
    pub status: VersionStatus,
    pub model: serde_json::Value,
    pub files: Vec<FileHash>,
    pub created_at: DateTime<Utc>,
    /// The number of the approved/submitted/accepted version this draft corrects.
    pub previous_approved: Option<u32>,
    /// `previous_approved.is_some()`.
    pub is_amendment: bool,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub submission: Option<Submission>,
    /// When the body answered (accepted or rejected) and what it said.
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub org: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `approve`, `submit`, `accept`, `reject`, `amendment_draft`.
    pub action: String,
    pub body: Option<String>,
    pub month: Option<Month>,
    pub details: serde_json::Value,
}

/// Errors of the version workflow; messages in French for the administrator.
#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "déclaration {body} de {month} : version {number} inconnue (voir la liste des versions)"
    )]
    Unknown {
        body: String,
        month: Span,
        number: u32,
    },
    #[error(
        "déclaration {body} de {month}, version {number} : impossible de « {action} » une version {status} \
         ({hint})"
    )]
    InvalidTransition {
        body: String,
        month: Span,
        number: u32,
        action: &'static str,
        status: &'static str,
        hint: &'static str,
    },
}

impl From<sqlx::Error> for VersionError {
    fn from(e: sqlx::Error) -> Self {
        VersionError::Store(e.into())
    }
}

impl From<serde_json::Error> for VersionError {
    fn from(e: serde_json::Error) -> Self {
        VersionError::Store(e.into())
    }
}

const SELECT: &str =
    "SELECT id, org, body, month, number, status, model_json, files_json, amends, \
     created_at, approved_by, approved_at, submitted_channel, submitted_receipt, submitted_at, \
     answered_at, answer FROM declaration_versions";

impl Store {
    /// Records the model of a run as a version: the current version when the model is the same
    /// (its file hashes refreshed while it is a draft), else a new draft, an amendment when an
    /// approved, submitted or accepted version exists.
    pub async fn record_draft(
        &self,
        org: &str,
        body: &str,
        month: impl Into<Span>,
        model: &serde_json::Value,
        files: &[(String, String)],
        at: DateTime<Utc>,
    ) -> Result<VersionRecord, VersionError> {
        let month: Span = month.into();
        let model_text = serde_json::to_string(model)?;
        let files: Vec<FileHash> = files
            .iter()
            .map(|(name, sha256)| FileHash {
                name: name.clone(),
                sha256: sha256.clone(),
            })
            .collect();
        let files_text = serde_json::to_string(&files)?;
        let existing = self.versions_of(org, body, month).await?;
        let base = existing.iter().rev().find(|v| v.status.is_frozen_base());
        let current = existing
            .iter()
            .rev()
            .find(|v| v.status != VersionStatus::Superseded);

        let mut tx = self.begin_write().await?;
        // Drafts newer than the base are replaced by whatever this run gives.
        let supersede_after = base.map_or(0, |b| b.number);
        let same_as =
            |v: &VersionRecord| serde_json::to_string(&v.model).ok() == Some(model_text.clone());

        if let Some(cur) = current.filter(|c| same_as(c)) {
            if cur.status == VersionStatus::Draft && cur.files != files {
                sqlx::query("UPDATE declaration_versions SET files_json = $1 WHERE id = $2")
                    .bind(&files_text)
                    .bind(cur.id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            return self.version(org, body, month, cur.number).await;
        }
        // Back to the figures of the base: no amendment; pending drafts are dropped.
        if let Some(b) = base.filter(|b| same_as(b)) {
            supersede(&mut tx, org, body, month, supersede_after).await?;
            tx.commit().await?;
            return Ok(b.clone());
        }
        supersede(&mut tx, org, body, month, supersede_after).await?;
        let number = existing.last().map_or(1, |v| v.number + 1);
        let amends = base.map(|b| b.number);
        sqlx::query(
            "INSERT INTO declaration_versions (org, body, month, number, status, model_json, \
             files_json, amends, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org)
        .bind(body)
        .bind(month.to_string())
        .bind(i64::from(number))
        .bind(VersionStatus::Draft.code())
        .bind(&model_text)
        .bind(&files_text)
        .bind(amends.map(i64::from))
        .bind(instant_to_db(at))
        .execute(&mut *tx)
        .await?;
        if let Some(base) = amends {
            audit(
                &mut tx,
                org,
                at,
                "releve",
                "amendment_draft",
                body,
                month,
                &serde_json::json!({ "version": number, "amends": base }),
            )
            .await?;
        }
        tx.commit().await?;
        self.version(org, body, month, number).await
    }

    /// Approves a draft: who and when; the version is frozen from then on.
    pub async fn approve(
        &self,
        org: &str,
        body: &str,
        month: impl Into<Span>,
        number: u32,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<VersionRecord, VersionError> {
        self.approve_with(
            org,
            body,
            month.into(),
            number,
            actor,
            &Approval::default(),
            at,
        )
        .await
    }

    /// [`Store::approve`], recording in the audit log the override of open points (`despite`,
    /// the signatory's reason, and the points overridden) and the frozen files' hashes.
    #[allow(clippy::too_many_arguments)]
    pub async fn approve_with(
        &self,
        org: &str,
        body: &str,
        month: impl Into<Span>,
        number: u32,
        actor: &str,
        approval: &Approval,
        at: DateTime<Utc>,
    ) -> Result<VersionRecord, VersionError> {
        let month: Span = month.into();
        let v = self.version(org, body, month, number).await?;
        if v.status != VersionStatus::Draft {
            return Err(invalid(
                &v,
                "approuver",
                "seul un brouillon peut être approuvé",
            ));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE declaration_versions SET status = $1, approved_by = $2, approved_at = $3 \
             WHERE id = $4",
        )
        .bind(VersionStatus::Approved.code())
        .bind(actor)
        .bind(instant_to_db(at))
        .bind(v.id)
        .execute(&mut *tx)
        .await?;
        let mut details = serde_json::json!({ "version": number, "files": v.files });
        if let Some(reason) = &approval.despite {
            details["despite"] = serde_json::json!(reason);
            details["overridden"] = serde_json::json!(approval.overridden);
        }
        if !approval.frozen_files.is_empty() {
            details["frozen_files"] = serde_json::json!(approval.frozen_files);
        }
        if let Some((from, to)) = month.period() {
            details["period"] = serde_json::json!({ "from": from, "to": to });
        }
        // A version approved but never sent is superseded by the approval of the version that
        // replaces it (formats.md §5 "Versions"): only the new one is to be sent.
        if let Some(base) = v.previous_approved {
            let replaced = sqlx::query(
                "UPDATE declaration_versions SET status = $1 WHERE org = $2 AND body = $3 \
                 AND month = $4 AND number = $5 AND status = $6",
            )
            .bind(VersionStatus::Superseded.code())
            .bind(org)
            .bind(body)
            .bind(month.to_string())
            .bind(i64::from(base))
            .bind(VersionStatus::Approved.code())
            .execute(&mut *tx)
            .await?;
            if replaced.rows_affected() > 0 {
                details["supersedes"] = serde_json::json!(base);
            }
        }
        audit(&mut tx, org, at, actor, "approve", body, month, &details).await?;
        crate::faults::point("approve.commit");
        tx.commit().await?;
        self.version(org, body, month, number).await
    }

    /// Records the submission of an approved version: channel and the body's receipt.
    #[allow(clippy::too_many_arguments)]
    pub async fn mark_submitted(
        &self,
        org: &str,
        body: &str,
        month: impl Into<Span>,
        number: u32,
        actor: &str,
        channel: &str,
        receipt: &str,
        at: DateTime<Utc>,
    ) -> Result<VersionRecord, VersionError> {
        let month: Span = month.into();
        let v = self.version(org, body, month, number).await?;
        if v.status != VersionStatus::Approved {
            return Err(invalid(
                &v,
                "transmettre",
                "seule une version approuvée peut être transmise",
            ));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE declaration_versions SET status = $1, submitted_channel = $2, \
             submitted_receipt = $3, submitted_at = $4 WHERE id = $5",
        )
        .bind(VersionStatus::Submitted.code())
        .bind(channel)
        .bind(receipt)
        .bind(instant_to_db(at))
        .bind(v.id)
        .execute(&mut *tx)
        .await?;
        let details =
            serde_json::json!({ "version": number, "channel": channel, "receipt": receipt });
        audit(&mut tx, org, at, actor, "submit", body, month, &details).await?;
        crate::faults::point("submitted.commit");
        tx.commit().await?;
        self.version(org, body, month, number).await
    }

    /// Records the body's answer to a submitted version: accepted or rejected, with its message.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_answer(
        &self,
        org: &str,
        body: &str,
        month: impl Into<Span>,
        number: u32,
        accepted: bool,
        answer: &str,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<VersionRecord, VersionError> {
        let month: Span = month.into();
        let v = self.version(org, body, month, number).await?;
        if v.status != VersionStatus::Submitted {
            return Err(invalid(
                &v,
                "enregistrer la réponse pour",
                "seule une version transmise reçoit une réponse",
            ));
        }
        let (status, action) = if accepted {
            (VersionStatus::Accepted, "accept")
        } else {
            (VersionStatus::Rejected, "reject")
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE declaration_versions SET status = $1, answered_at = $2, answer = $3 \
             WHERE id = $4",
        )
        .bind(status.code())
        .bind(instant_to_db(at))
        .bind(answer)
        .bind(v.id)
        .execute(&mut *tx)
        .await?;
        let details = serde_json::json!({ "version": number, "answer": answer });
        audit(&mut tx, org, at, actor, action, body, month, &details).await?;
        tx.commit().await?;
        self.version(org, body, month, number).await
    }

    /// One version.
    pub async fn version(
        &self,
        org: &str,
        body: &str,
        month: impl Into<Span>,
        number: u32,
    ) -> Result<VersionRecord, VersionError> {
        let month: Span = month.into();
        let row = sqlx::query(&format!(
            "{SELECT} WHERE org = $1 AND body = $2 AND month = $3 AND number = $4"
        ))
        .bind(org)
        .bind(body)
        .bind(month.to_string())
        .bind(i64::from(number))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(version_from_row(&row)?),
            None => Err(VersionError::Unknown {
                body: body.to_string(),
                month,
                number,
            }),
        }
    }

    /// The monthly versions of the organisation, optionally of one body and/or one month,
    /// sorted by month, body, then number (period versions: [`Store::period_versions`]).
    pub async fn versions(
        &self,
        org: &str,
        body: Option<&str>,
        month: Option<Month>,
    ) -> Result<Vec<VersionRecord>, StoreError> {
        let mut versions = self.all_versions(org).await?;
        versions.retain(|v| {
            matches!(v.span, Span::Month(_))
                && body.is_none_or(|b| v.body == b)
                && month.is_none_or(|m| v.month == m)
        });
        versions.sort_by(|a, b| (a.month, &a.body, a.number).cmp(&(b.month, &b.body, b.number)));
        Ok(versions)
    }

    /// The versions of one body over exactly `span` (a month or a period), by number.
    pub async fn versions_of(
        &self,
        org: &str,
        body: &str,
        span: impl Into<Span>,
    ) -> Result<Vec<VersionRecord>, StoreError> {
        let span: Span = span.into();
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE org = $1 AND body = $2 AND month = $3"
        ))
        .bind(org)
        .bind(body)
        .bind(span.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut versions = rows
            .iter()
            .map(version_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        versions.sort_by_key(|v| v.number);
        Ok(versions)
    }

    /// The versions over a period (SACD bordereaux of `releve run --body sacd --from --to` and
    /// of the weekly schedule), optionally of one body, sorted by period then number.
    pub async fn period_versions(
        &self,
        org: &str,
        body: Option<&str>,
    ) -> Result<Vec<VersionRecord>, StoreError> {
        let mut versions = self.all_versions(org).await?;
        versions.retain(|v| v.span.period().is_some() && body.is_none_or(|b| v.body == b));
        versions.sort_by(|a, b| (a.span, &a.body, a.number).cmp(&(b.span, &b.body, b.number)));
        Ok(versions)
    }

    /// Every version of the organisation, unsorted.
    async fn all_versions(&self, org: &str) -> Result<Vec<VersionRecord>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} WHERE org = $1"))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// The audit log of the organisation, oldest first.
    pub async fn audit_log(&self, org: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, org, at, actor, action, body, month, details_json FROM audit_log \
             WHERE org = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut entries = rows
            .iter()
            .map(audit_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| (e.at, e.id));
        Ok(entries)
    }
}

fn invalid(v: &VersionRecord, action: &'static str, hint: &'static str) -> VersionError {
    VersionError::InvalidTransition {
        body: v.body.clone(),
        month: v.span,
        number: v.number,
        action,
        status: v.status.label_fr(),
        hint,
    }
}

/// Marks the drafts numbered above `after` as superseded.
async fn supersede(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org: &str,
    body: &str,
    month: Span,
    after: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE declaration_versions SET status = $1 WHERE org = $2 AND body = $3 AND month = $4 \
         AND number > $5 AND status = $6",
    )
    .bind(VersionStatus::Superseded.code())
    .bind(org)
    .bind(body)
    .bind(month.to_string())
    .bind(i64::from(after))
    .bind(VersionStatus::Draft.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org: &str,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    body: &str,
    month: Span,
    details: &serde_json::Value,
) -> Result<(), VersionError> {
    // Chained to the organisation's previous entry (audit_chain.rs).
    let entry = crate::audit_chain::NewEntry {
        org,
        at,
        actor,
        action,
        body: Some(body),
        month: Some(month.to_string()),
        details_json: serde_json::to_string(details)?,
    };
    crate::audit_chain::append(tx, backend_of(tx), &entry).await?;
    Ok(())
}

/// The backend a transaction talks to (the audit chain locks differently on each).
fn backend_of(tx: &sqlx::Transaction<'_, sqlx::Any>) -> crate::connect::Backend {
    match (**tx).backend_name() {
        "PostgreSQL" => crate::connect::Backend::Postgres,
        _ => crate::connect::Backend::Sqlite,
    }
}

fn corrupt(table: &'static str, key: String, detail: String) -> StoreError {
    StoreError::Corrupt { table, key, detail }
}

fn optional_instant(
    row: &AnyRow,
    column: &str,
    table: &'static str,
    key: &str,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    match row.try_get::<Option<i64>, _>(column)? {
        Some(s) => Ok(Some(instant_from_db(s, table, || key.to_string())?)),
        None => Ok(None),
    }
}

fn version_from_row(row: &AnyRow) -> Result<VersionRecord, StoreError> {
    const TABLE: &str = "declaration_versions";
    let id: i64 = row.try_get("id")?;
    let key = id.to_string();
    let bad = |detail: String| corrupt(TABLE, key.clone(), detail);
    let month_text: String = row.try_get("month")?;
    let span =
        Span::parse(&month_text).ok_or_else(|| bad(format!("mois illisible « {month_text} »")))?;
    let status_text: String = row.try_get("status")?;
    let status = VersionStatus::parse(&status_text)
        .ok_or_else(|| bad(format!("statut inconnu « {status_text} »")))?;
    let model: serde_json::Value = serde_json::from_str(&row.try_get::<String, _>("model_json")?)
        .map_err(|e| bad(e.to_string()))?;
    let files: Vec<FileHash> = serde_json::from_str(&row.try_get::<String, _>("files_json")?)
        .map_err(|e| bad(e.to_string()))?;
    let number = unsigned_from_db(row.try_get::<i64, _>("number")?, TABLE, || key.clone())?;
    let previous_approved = match row.try_get::<Option<i64>, _>("amends")? {
        Some(n) => Some(unsigned_from_db(n, TABLE, || key.clone())?),
        None => None,
    };
    let submission = match (
        row.try_get::<Option<String>, _>("submitted_channel")?,
        row.try_get::<Option<String>, _>("submitted_receipt")?,
        optional_instant(row, "submitted_at", TABLE, &key)?,
    ) {
        (Some(channel), receipt, Some(at)) => Some(Submission {
            channel,
            receipt: receipt.unwrap_or_default(),
            at,
        }),
        _ => None,
    };
    Ok(VersionRecord {
        id,
        org: row.try_get("org")?,
        body: row.try_get("body")?,
        month: span.month(),
        span,
        number,
        status,
        model,
        files,
        created_at: instant_from_db(row.try_get("created_at")?, TABLE, || key.clone())?,
        previous_approved,
        is_amendment: previous_approved.is_some(),
        approved_by: row.try_get("approved_by")?,
        approved_at: optional_instant(row, "approved_at", TABLE, &key)?,
        submission,
        answered_at: optional_instant(row, "answered_at", TABLE, &key)?,
        answer: row.try_get("answer")?,
    })
}

fn audit_from_row(row: &AnyRow) -> Result<AuditEntry, StoreError> {
    const TABLE: &str = "audit_log";
    let id: i64 = row.try_get("id")?;
    let key = id.to_string();
    let month =
        match row.try_get::<Option<String>, _>("month")? {
            // A period's entries carry its text (`FROM_TO`): listed under its first month.
            Some(text) => Some(Span::parse(&text).map(Span::month).ok_or_else(|| {
                corrupt(TABLE, key.clone(), format!("mois illisible « {text} »"))
            })?),
            None => None,
        };
    Ok(AuditEntry {
        id,
        org: row.try_get("org")?,
        at: instant_from_db(row.try_get("at")?, TABLE, || key.clone())?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        body: row.try_get("body")?,
        month,
        details: serde_json::from_str(&row.try_get::<String, _>("details_json")?)
            .map_err(|e| corrupt(TABLE, key.clone(), e.to_string()))?,
    })
}

#[cfg(test)]
mod tests;
