//! Tables `outbox` and `outbox_exchanges` (migration 0013): the durable queue of submissions
//! (`releve submit`, `serve`) and the proof of every exchange with a body.
//!
//! One row per (organisation, body, period, version, channel), found again by its
//! deterministic idempotency key ([`idempotency_key`]): queuing the same version twice gives
//! back the same row. States:
//!
//! ```text
//! queued ──claim──► sending ──► sent ──► accepted | rejected
//!                      │  └────────────► accepted | rejected   (synchronous channels)
//!                      └──► failed (next_attempt_at) ──claim──► sending …
//! ```
//!
//! - A claim is one conditional `UPDATE` (a single statement, so two processes never both win):
//!   it takes a `queued` row, a `failed` row whose retry time has come, or a `sending` row whose
//!   holder is gone (its lease ran out, or the caller says that process is dead). A `sending`
//!   row taken again means a crash during a send: the channel asks the body what it holds or
//!   relies on its idempotent identifiers before sending again.
//! - Failures back off: 5 minutes after the first attempt, doubling, at most 24 hours, and
//!   after [`MAX_ATTEMPTS`] attempts no more automatic retry (`next_attempt_at` NULL).
//! - Exchanges are stored by the caller already stripped of secrets; the store keeps their
//!   SHA-256 beside them so that a later reader can show that the proof was not altered.

use crate::codec::{instant_from_db, instant_to_db, unsigned_from_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Automatic attempts before a failing row waits for a person.
pub const MAX_ATTEMPTS: u32 = 8;

/// Where a submission is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Queued,
    Sending,
    /// Handed over (an e-mail accepted by the SMTP server, a deposit package ready); the body's
    /// answer or the administrator's receipt is still to come.
    Sent,
    Accepted,
    Rejected,
    /// The last attempt failed for a reason that may pass (network, server error).
    Failed,
}

impl OutboxState {
    pub const ALL: [OutboxState; 6] = [
        OutboxState::Queued,
        OutboxState::Sending,
        OutboxState::Sent,
        OutboxState::Accepted,
        OutboxState::Rejected,
        OutboxState::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Accepted => "accepted",
            OutboxState::Rejected => "rejected",
            OutboxState::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<OutboxState> {
        OutboxState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// In French, for the administrator.
    pub fn label_fr(self) -> &'static str {
        match self {
            OutboxState::Queued => "en file d'attente",
            OutboxState::Sending => "envoi en cours",
            OutboxState::Sent => "transmise",
            OutboxState::Accepted => "acceptée",
            OutboxState::Rejected => "rejetée",
            OutboxState::Failed => "échec, nouvel essai prévu",
        }
    }
}

/// The deterministic key of a submission: the same version on the same channel always gets
/// the same key (and hence the same row, `Message-ID`, …).
pub fn idempotency_key(org: &str, body: &str, period: &str, version: u32, channel: &str) -> String {
    format!("{org}:{body}:{period}:v{version}:{channel}")
}

/// SHA-256 (hex) of a stored text.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubmission<'a> {
    pub org: &'a str,
    pub body: &'a str,
    /// `YYYY-MM` (or `FROM_TO` for a SACD period).
    pub period: &'a str,
    pub version: u32,
    pub channel: &'a str,
    pub queued_by: &'a str,
    /// JSON, channel-specific, without secrets.
    pub payload: &'a serde_json::Value,
}

/// One row of the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxRecord {
    pub id: i64,
    pub idempotency_key: String,
    pub org: String,
    pub body: String,
    pub period: String,
    pub version: u32,
    pub channel: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub claimed_by: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub queued_by: String,
    pub queued_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub payload: serde_json::Value,
    pub payload_sha256: String,
    pub receipt: Option<String>,
    pub last_error: Option<String>,
    pub warnings: Vec<String>,
}

impl OutboxRecord {
    /// Still to be worked on by releve (queued, being sent, or failed and retried later).
    pub fn is_pending(&self) -> bool {
        matches!(
            self.state,
            OutboxState::Queued | OutboxState::Sending | OutboxState::Failed
        )
    }
}

/// One request to the body and its answer, as stored (secrets already removed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxExchange {
    pub id: i64,
    pub outbox_id: i64,
    pub at: DateTime<Utc>,
    pub step: String,
    pub request: String,
    pub request_sha256: String,
    pub answer: Option<String>,
    pub answer_sha256: Option<String>,
}

/// How a claimed row ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Handed over, the answer is to come (e-mail, deposit package).
    Sent {
        receipt: String,
    },
    Accepted {
        receipt: String,
    },
    Rejected {
        reason: String,
    },
    /// May pass: try again later (backoff).
    Failed {
        reason: String,
    },
}

const COLUMNS: &str = "id, idempotency_key, org, body, period, version, channel, state, attempts, \
     next_attempt_at, claimed_by, lease_until, queued_by, queued_at, updated_at, payload, \
     payload_sha256, receipt, last_error, warnings_json";

/// The wait before the next attempt after `attempts` failed ones (1, 2, …): 5 min, 10, 20 …
/// at most 24 h; `None` once [`MAX_ATTEMPTS`] is reached.
pub fn backoff(attempts: u32) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let minutes = 5i64 << attempts.saturating_sub(1).min(16);
    Some(Duration::minutes(minutes.min(24 * 60)))
}

impl Store {
    /// Queues a submission, or gives back the row already queued for the same key (whatever
    /// its state: queuing again never sends again).
    pub async fn enqueue_submission(
        &self,
        new: &NewSubmission<'_>,
        now: DateTime<Utc>,
    ) -> Result<(OutboxRecord, bool), StoreError> {
        let key = idempotency_key(new.org, new.body, new.period, new.version, new.channel);
        let payload = new.payload.to_string();
        let done = sqlx::query(
            "INSERT INTO outbox (idempotency_key, org, body, period, version, channel, state, \
             attempts, queued_by, queued_at, updated_at, payload, payload_sha256, warnings_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $9, $10, $11, '[]') \
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(&key)
        .bind(new.org)
        .bind(new.body)
        .bind(new.period)
        .bind(i64::from(new.version))
        .bind(new.channel)
        .bind(OutboxState::Queued.code())
        .bind(new.queued_by)
        .bind(instant_to_db(now))
        .bind(&payload)
        .bind(sha256_hex(&payload))
        .execute(&self.pool)
        .await?;
        let record = self
            .submission_by_key(&key)
            .await?
            .expect("the row was just inserted or already there");
        Ok((record, done.rows_affected() == 1))
    }

    pub async fn submission_by_key(&self, key: &str) -> Result<Option<OutboxRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE idempotency_key = $1"
        ))
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    pub async fn submission(&self, id: i64) -> Result<Option<OutboxRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    /// The rows of an organisation (all of them with `None`), sorted by period, body, version,
    /// channel.
    pub async fn submissions(&self, org: Option<&str>) -> Result<Vec<OutboxRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox"))
            .fetch_all(&self.pool)
            .await?;
        let mut list = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        list.retain(|r| org.is_none_or(|o| r.org == o));
        list.sort_by(|a, b| {
            (&a.org, &a.period, &a.body, a.version, &a.channel)
                .cmp(&(&b.org, &b.period, &b.body, b.version, &b.channel))
        });
        Ok(list)
    }

    /// Rows that could be claimed now (queued, failed and due, or sending with an expired
    /// lease), oldest first. Claim each with [`Store::claim_submission`].
    pub async fn due_submissions(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        let mut list = self.submissions(None).await?;
        list.retain(|r| match r.state {
            OutboxState::Queued => true,
            OutboxState::Failed => r.next_attempt_at.is_some_and(|t| t <= now),
            OutboxState::Sending => r.lease_until.is_none_or(|t| t <= now),
            _ => false,
        });
        list.sort_by_key(|r| (r.queued_at, r.id));
        Ok(list)
    }

    /// Takes a row for sending. `holder_is_dead` lets the caller take a `sending` row whose
    /// holder it knows to be gone before its lease ends (same machine, process not running).
    /// `None` when someone else has it or it needs nothing.
    pub async fn claim_submission(
        &self,
        id: i64,
        holder: &str,
        lease: Duration,
        now: DateTime<Utc>,
        holder_is_dead: bool,
    ) -> Result<Option<OutboxRecord>, StoreError> {
        let current = match self.submission(id).await? {
            Some(r) => r,
            None => return Ok(None),
        };
        let now_db = instant_to_db(now);
        let done = sqlx::query(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_by = $1, \
             lease_until = $2, updated_at = $3 \
             WHERE id = $4 AND state = $5 AND attempts = $6 AND ( \
               state = 'queued' \
               OR (state = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= $3) \
               OR (state = 'sending' AND (lease_until IS NULL OR lease_until <= $3 OR $7 = 1)))",
        )
        .bind(holder)
        .bind(instant_to_db(now + lease))
        .bind(now_db)
        .bind(id)
        .bind(current.state.code())
        .bind(i64::from(current.attempts))
        .bind(i32::from(holder_is_dead))
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        self.submission(id).await
    }

    /// Stores one exchange with the body (already without secrets).
    pub async fn record_exchange(
        &self,
        outbox_id: i64,
        org: &str,
        step: &str,
        request: &str,
        answer: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO outbox_exchanges (outbox_id, org, at, step, request, request_sha256, \
             answer, answer_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(outbox_id)
        .bind(org)
        .bind(instant_to_db(at))
        .bind(step)
        .bind(request)
        .bind(sha256_hex(request))
        .bind(answer)
        .bind(answer.map(sha256_hex))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The exchanges of a row, in order.
    pub async fn exchanges(&self, outbox_id: i64) -> Result<Vec<OutboxExchange>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, outbox_id, at, step, request, request_sha256, answer, answer_sha256 \
             FROM outbox_exchanges WHERE outbox_id = $1",
        )
        .bind(outbox_id)
        .fetch_all(&self.pool)
        .await?;
        let mut list = rows
            .iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(OutboxExchange {
                    id,
                    outbox_id: row.try_get("outbox_id")?,
                    at: instant_from_db(row.try_get("at")?, "outbox_exchanges", || id.to_string())?,
                    step: row.try_get("step")?,
                    request: row.try_get("request")?,
                    request_sha256: row.try_get("request_sha256")?,
                    answer: row.try_get("answer")?,
                    answer_sha256: row.try_get("answer_sha256")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        list.sort_by_key(|e| e.id);
        Ok(list)
    }

    /// Ends a claimed row: sent, accepted, rejected or failed (with the backoff), with the
    /// body's warnings. Only the holder may finish it.
    pub async fn finish_submission(
        &self,
        id: i64,
        holder: &str,
        outcome: &Outcome,
        warnings: &[String],
        now: DateTime<Utc>,
    ) -> Result<OutboxRecord, StoreError> {
        let current = self
            .submission(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                table: "outbox",
                key: id.to_string(),
                detail: "ligne disparue pendant l'envoi".into(),
            })?;
        let (state, receipt, error, next) = match outcome {
            Outcome::Sent { receipt } => (OutboxState::Sent, Some(receipt.as_str()), None, None),
            Outcome::Accepted { receipt } => {
                (OutboxState::Accepted, Some(receipt.as_str()), None, None)
            }
            Outcome::Rejected { reason } => (OutboxState::Rejected, None, Some(reason), None),
            Outcome::Failed { reason } => (
                OutboxState::Failed,
                None,
                Some(reason),
                backoff(current.attempts).map(|d| instant_to_db(now + d)),
            ),
        };
        let done = sqlx::query(
            "UPDATE outbox SET state = $1, receipt = COALESCE($2, receipt), last_error = $3, \
             next_attempt_at = $4, warnings_json = $5, claimed_by = NULL, lease_until = NULL, \
             updated_at = $6 WHERE id = $7 AND state = 'sending' AND claimed_by = $8",
        )
        .bind(state.code())
        .bind(receipt)
        .bind(error.map(String::as_str))
        .bind(next)
        .bind(serde_json::to_string(warnings).expect("strings serialise"))
        .bind(instant_to_db(now))
        .bind(id)
        .bind(holder)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Corrupt {
                table: "outbox",
                key: current.idempotency_key,
                detail: format!(
                    "l'envoi n'est plus tenu par {holder} (état {})",
                    current.state.code()
                ),
            });
        }
        Ok(self.submission(id).await?.expect("row still there"))
    }

    /// A person asks for a failed row to be tried now (also after the last automatic attempt).
    pub async fn retry_submission_now(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1, updated_at = $1 WHERE id = $2 AND state = 'failed'",
        )
        .bind(instant_to_db(now))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The administrator's receipt for a `sent` row (a deposit package uploaded on a portal,
    /// an e-mail answered): it becomes `accepted`. `false` when the row is not `sent`.
    pub async fn record_submission_receipt(
        &self,
        key: &str,
        receipt: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = 'accepted', receipt = $1, updated_at = $2 \
             WHERE idempotency_key = $3 AND state = 'sent'",
        )
        .bind(receipt)
        .bind(instant_to_db(now))
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

fn record_from_row(row: &AnyRow) -> Result<OutboxRecord, StoreError> {
    let id: i64 = row.try_get("id")?;
    let key = || id.to_string();
    let instant = |column: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        let value: Option<i64> = row.try_get(column)?;
        value.map(|v| instant_from_db(v, "outbox", key)).transpose()
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        table: "outbox",
        key: id.to_string(),
        detail,
    };
    let state: String = row.try_get("state")?;
    let payload: String = row.try_get("payload")?;
    let warnings: String = row.try_get("warnings_json")?;
    Ok(OutboxRecord {
        id,
        idempotency_key: row.try_get("idempotency_key")?,
        org: row.try_get("org")?,
        body: row.try_get("body")?,
        period: row.try_get("period")?,
        version: unsigned_from_db(row.try_get("version")?, "outbox", key)?,
        channel: row.try_get("channel")?,
        state: OutboxState::parse(&state).ok_or_else(|| corrupt(format!("état {state}")))?,
        attempts: unsigned_from_db(row.try_get("attempts")?, "outbox", key)?,
        next_attempt_at: instant("next_attempt_at")?,
        claimed_by: row.try_get("claimed_by")?,
        lease_until: instant("lease_until")?,
        queued_by: row.try_get("queued_by")?,
        queued_at: instant_from_db(row.try_get("queued_at")?, "outbox", key)?,
        updated_at: instant_from_db(row.try_get("updated_at")?, "outbox", key)?,
        payload: serde_json::from_str(&payload).map_err(|e| corrupt(e.to_string()))?,
        payload_sha256: row.try_get("payload_sha256")?,
        receipt: row.try_get("receipt")?,
        last_error: row.try_get("last_error")?,
        warnings: serde_json::from_str(&warnings).map_err(|e| corrupt(e.to_string()))?,
    })
}

#[cfg(test)]
mod tests;
