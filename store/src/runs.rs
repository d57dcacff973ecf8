//! Table `runs`: one row per command run (sync, monthly run, …) with its counts and outcome,
//! so that the administrator can see what happened and when.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RunOutcome {
    Success,
    /// Finished, but something needs a person (quarantine, blocking issues, a failed source).
    NeedsAttention,
    /// Could not run; the message says why, in French.
    Failed {
        message: String,
    },
}

impl RunOutcome {
    /// Stored code: `success`, `needs_attention`, `failed`.
    pub fn code(&self) -> &'static str {
        match self {
            RunOutcome::Success => "success",
            RunOutcome::NeedsAttention => "needs_attention",
            RunOutcome::Failed { .. } => "failed",
        }
    }

    /// The command's exit status for this outcome (0, 1, 2).
    pub fn exit_status(&self) -> i32 {
        match self {
            RunOutcome::Success => 0,
            RunOutcome::NeedsAttention => 1,
            RunOutcome::Failed { .. } => 2,
        }
    }
}

/// A recorded run; `finished_at`, `counts` and `outcome` are `None` while it is in progress
/// (or if it crashed before finishing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: i64,
    pub org: String,
    pub command: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub counts: Option<serde_json::Value>,
    pub outcome: Option<RunOutcome>,
}

impl Store {
    /// Records the start of a run; returns its id.
    pub async fn start_run(
        &self,
        org: &str,
        command: &str,
        started_at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO runs (org, command, started_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(org)
        .bind(command)
        .bind(instant_to_db(started_at))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Records the end of a run: when, its counts (free-form JSON) and its outcome.
    pub async fn finish_run(
        &self,
        run_id: i64,
        finished_at: DateTime<Utc>,
        counts: &serde_json::Value,
        outcome: RunOutcome,
    ) -> Result<(), StoreError> {
        let message = match &outcome {
            RunOutcome::Failed { message } => Some(message.as_str()),
            _ => None,
        };
        let done = sqlx::query(
            "UPDATE runs SET finished_at = $1, counts_json = $2, outcome = $3, message = $4 \
             WHERE id = $5",
        )
        .bind(instant_to_db(finished_at))
        .bind(serde_json::to_string(counts)?)
        .bind(outcome.code())
        .bind(message)
        .bind(run_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::UnknownRun(run_id));
        }
        Ok(())
    }

    /// The runs of the organisation, oldest first.
    pub async fn runs(&self, org: &str) -> Result<Vec<RunRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, org, command, started_at, finished_at, counts_json, outcome, message \
             FROM runs WHERE org = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut runs = rows
            .iter()
            .map(run_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        runs.sort_by_key(|r| (r.started_at, r.id));
        Ok(runs)
    }
}

fn run_from_row(row: &AnyRow) -> Result<RunRecord, StoreError> {
    let id: i64 = row.try_get("id")?;
    let key = || id.to_string();
    let corrupt = |detail: String| StoreError::Corrupt {
        table: "runs",
        key: id.to_string(),
        detail,
    };
    let finished_at = match row.try_get::<Option<i64>, _>("finished_at")? {
        Some(s) => Some(instant_from_db(s, "runs", key)?),
        None => None,
    };
    let counts = match row.try_get::<Option<String>, _>("counts_json")? {
        Some(json) => Some(serde_json::from_str(&json).map_err(|e| corrupt(e.to_string()))?),
        None => None,
    };
    let message: Option<String> = row.try_get("message")?;
    let outcome = match row.try_get::<Option<String>, _>("outcome")?.as_deref() {
        None => None,
        Some("success") => Some(RunOutcome::Success),
        Some("needs_attention") => Some(RunOutcome::NeedsAttention),
        Some("failed") => Some(RunOutcome::Failed {
            message: message.unwrap_or_default(),
        }),
        Some(other) => return Err(corrupt(format!("issue inconnue « {other} »"))),
    };
    Ok(RunRecord {
        id,
        org: row.try_get("org")?,
        command: row.try_get("command")?,
        started_at: instant_from_db(row.try_get("started_at")?, "runs", key)?,
        finished_at,
        counts,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, each_backend};
    use crate::{RunOutcome, StoreError};
    use serde_json::json;

    #[tokio::test]
    async fn runs_are_recorded_with_counts_and_outcome() {
        each_backend(|store| async move {
            let first = store
                .start_run("digues", "sync", at("2025-12-01 03:00"))
                .await
                .unwrap();
            let second = store
                .start_run("digues", "run", at("2025-12-01 04:00"))
                .await
                .unwrap();
            assert_ne!(first, second);
            let counts = json!({"tickets": {"inserted": 1234, "updated": 2}, "quarantined": 3});
            store
                .finish_run(
                    first,
                    at("2025-12-01 03:05"),
                    &counts,
                    RunOutcome::NeedsAttention,
                )
                .await
                .unwrap();
            store
                .finish_run(
                    second,
                    at("2025-12-01 04:01"),
                    &json!({}),
                    RunOutcome::Failed {
                        message: "source billetweb : jeton refusé (401)".into(),
                    },
                )
                .await
                .unwrap();
            // Another organisation's run stays invisible; an unfinished run has no outcome.
            store
                .start_run("autre", "sync", at("2025-12-01 02:00"))
                .await
                .unwrap();

            let runs = store.runs("digues").await.unwrap();
            assert_eq!(runs.len(), 2);
            assert_eq!(runs[0].id, first);
            assert_eq!(runs[0].command, "sync");
            assert_eq!(runs[0].started_at, at("2025-12-01 03:00"));
            assert_eq!(runs[0].finished_at, Some(at("2025-12-01 03:05")));
            assert_eq!(runs[0].counts, Some(counts));
            assert_eq!(runs[0].outcome, Some(RunOutcome::NeedsAttention));
            assert_eq!(
                runs[1].outcome,
                Some(RunOutcome::Failed {
                    message: "source billetweb : jeton refusé (401)".into()
                })
            );
            assert_eq!(runs[1].outcome.as_ref().unwrap().exit_status(), 2);
            let other = store.runs("autre").await.unwrap();
            assert_eq!(other.len(), 1);
            assert_eq!(other[0].outcome, None);
            assert_eq!(other[0].finished_at, None);

            let err = store
                .finish_run(
                    other[0].id + 1000,
                    at("2025-12-01 05:00"),
                    &json!({}),
                    RunOutcome::Success,
                )
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::UnknownRun(_)), "{err}");
        })
        .await;
    }
}
