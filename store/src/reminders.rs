//! Table `reminders` (migration 0015): the e-mails releve sends to an organisation's contact —
//! deadline reminders and run reports — one row per message under a deterministic key chosen
//! by the caller (`org:deadline:cnm:2025-11:2025-12-25:J-7`).
//!
//! Sending once: a message is **claimed** before the SMTP exchange (an `INSERT` that only one
//! process wins, or the retry of a `failed` row whose time has come), then finished as `sent`
//! or `failed`. A row left `sending` by a crash is never taken again: the SMTP server may have
//! accepted the message before the crash, and a reminder sent twice is worse than the one
//! message of that narrow window that may be missing (the workspace still shows every
//! deadline). So a re-run, two processes at once or a restart never send one twice.

use crate::codec::{instant_from_db, instant_to_db, unsigned_from_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Automatic attempts before a failing message is given up.
pub const REMINDER_MAX_ATTEMPTS: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderState {
    Sending,
    Sent,
    Failed,
}

impl ReminderState {
    pub fn code(self) -> &'static str {
        match self {
            ReminderState::Sending => "sending",
            ReminderState::Sent => "sent",
            ReminderState::Failed => "failed",
        }
    }

    fn parse(code: &str) -> Option<ReminderState> {
        [
            ReminderState::Sending,
            ReminderState::Sent,
            ReminderState::Failed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A message about to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReminder<'a> {
    pub key: &'a str,
    pub org: &'a str,
    /// `deadline` or `run_report`.
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReminderRecord {
    pub key: String,
    pub org: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub message_id: String,
    pub state: ReminderState,
    pub attempts: u32,
    pub claimed_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
}

const COLUMNS: &str = "key, org, kind, recipient, subject, message_id, state, attempts, \
     claimed_at, next_attempt_at, sent_at, answer";

/// The wait after `attempts` failed ones: 5 minutes, doubling; `None` after the last attempt.
pub fn reminder_backoff(attempts: u32) -> Option<Duration> {
    if attempts >= REMINDER_MAX_ATTEMPTS {
        return None;
    }
    Some(Duration::minutes(5 << attempts.saturating_sub(1)))
}

impl Store {
    /// Claims the message for sending: `Some` when this caller may send it now (new, or failed
    /// and due again), `None` when it was sent, is being sent, was interrupted by a crash, or
    /// waits for its retry time.
    pub async fn claim_reminder(
        &self,
        new: &NewReminder<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<ReminderRecord>, StoreError> {
        let now_db = instant_to_db(now);
        let inserted = sqlx::query(
            "INSERT INTO reminders (key, org, kind, recipient, subject, message_id, state, \
             attempts, claimed_at) VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1, $7) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(new.key)
        .bind(new.org)
        .bind(new.kind)
        .bind(new.recipient)
        .bind(new.subject)
        .bind(new.message_id)
        .bind(now_db)
        .execute(&self.pool)
        .await?;
        let claimed = if inserted.rows_affected() == 1 {
            true
        } else {
            sqlx::query(
                "UPDATE reminders SET state = 'sending', attempts = attempts + 1, claimed_at = $1, \
                 next_attempt_at = NULL WHERE key = $2 AND state = 'failed' \
                 AND next_attempt_at IS NOT NULL AND next_attempt_at <= $1",
            )
            .bind(now_db)
            .bind(new.key)
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1
        };
        if !claimed {
            return Ok(None);
        }
        self.reminder(new.key).await
    }

    /// Finishes a claimed message: `Ok(answer)` sent (the SMTP server's answer), `Err(error)`
    /// failed, retried after [`reminder_backoff`].
    pub async fn finish_reminder(
        &self,
        key: &str,
        result: Result<&str, &str>,
        now: DateTime<Utc>,
    ) -> Result<Option<ReminderRecord>, StoreError> {
        let Some(current) = self.reminder(key).await? else {
            return Ok(None);
        };
        let (state, answer, sent_at, next) = match result {
            Ok(answer) => (ReminderState::Sent, answer, Some(instant_to_db(now)), None),
            Err(error) => (
                ReminderState::Failed,
                error,
                None,
                reminder_backoff(current.attempts).map(|wait| instant_to_db(now + wait)),
            ),
        };
        sqlx::query(
            "UPDATE reminders SET state = $1, answer = $2, sent_at = $3, next_attempt_at = $4 \
             WHERE key = $5 AND state = 'sending'",
        )
        .bind(state.code())
        .bind(answer)
        .bind(sent_at)
        .bind(next)
        .bind(key)
        .execute(&self.pool)
        .await?;
        self.reminder(key).await
    }

    pub async fn reminder(&self, key: &str) -> Result<Option<ReminderRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM reminders WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    /// The messages of an organisation, oldest claim first.
    pub async fn reminders(&self, org: &str) -> Result<Vec<ReminderRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM reminders WHERE org = $1"))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
        let mut list = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        list.sort_by(|a, b| (a.claimed_at, &a.key).cmp(&(b.claimed_at, &b.key)));
        Ok(list)
    }
}

fn record_from_row(row: &AnyRow) -> Result<ReminderRecord, StoreError> {
    const TABLE: &str = "reminders";
    let key: String = row.try_get("key")?;
    let k = || key.clone();
    let state: String = row.try_get("state")?;
    let optional = |name: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        row.try_get::<Option<i64>, _>(name)?
            .map(|s| instant_from_db(s, TABLE, k))
            .transpose()
    };
    Ok(ReminderRecord {
        org: row.try_get("org")?,
        kind: row.try_get("kind")?,
        recipient: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        message_id: row.try_get("message_id")?,
        state: ReminderState::parse(&state).ok_or_else(|| StoreError::Corrupt {
            table: TABLE,
            key: key.clone(),
            detail: format!("état inconnu « {state} »"),
        })?,
        attempts: unsigned_from_db(row.try_get("attempts")?, TABLE, k)?,
        claimed_at: instant_from_db(row.try_get("claimed_at")?, TABLE, k)?,
        next_attempt_at: optional("next_attempt_at")?,
        sent_at: optional("sent_at")?,
        answer: row.try_get("answer")?,
        key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, each_backend};

    fn new(key: &str) -> NewReminder<'_> {
        NewReminder {
            key,
            org: "venue",
            kind: "deadline",
            recipient: "admin@venue.fr",
            subject: "Échéance",
            message_id: "<releve.1@venue.fr>",
        }
    }

    #[tokio::test]
    async fn a_message_is_claimed_once_retried_after_a_failure_and_never_after_a_crash() {
        each_backend(|store| async move {
            let now = at("2025-12-18 09:00");
            let first = store.claim_reminder(&new("a"), now).await.unwrap().unwrap();
            assert_eq!((first.state, first.attempts), (ReminderState::Sending, 1));
            // Claimed: nobody else takes it, not even much later (a crash leaves it so).
            assert!(store
                .claim_reminder(&new("a"), now)
                .await
                .unwrap()
                .is_none());
            let later = now + Duration::days(2);
            assert!(store
                .claim_reminder(&new("a"), later)
                .await
                .unwrap()
                .is_none());

            let done = store
                .finish_reminder("a", Ok("250 queued"), now)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(done.state, ReminderState::Sent);
            assert_eq!(done.sent_at, Some(now));
            assert!(store
                .claim_reminder(&new("a"), later)
                .await
                .unwrap()
                .is_none());

            // A failure waits 5 minutes, then is taken again.
            store.claim_reminder(&new("b"), now).await.unwrap().unwrap();
            let failed = store
                .finish_reminder("b", Err("connexion refusée"), now)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(failed.state, ReminderState::Failed);
            assert_eq!(failed.next_attempt_at, Some(now + Duration::minutes(5)));
            let soon = now + Duration::minutes(4);
            assert!(store
                .claim_reminder(&new("b"), soon)
                .await
                .unwrap()
                .is_none());
            let due = now + Duration::minutes(5);
            let again = store.claim_reminder(&new("b"), due).await.unwrap().unwrap();
            assert_eq!(again.attempts, 2);
            let keys: Vec<String> = store
                .reminders("venue")
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.key)
                .collect();
            assert_eq!(keys, ["a", "b"]);
        })
        .await;
    }

    #[test]
    fn backoff_doubles_and_stops_after_the_last_attempt() {
        assert_eq!(reminder_backoff(1), Some(Duration::minutes(5)));
        assert_eq!(reminder_backoff(2), Some(Duration::minutes(10)));
        assert_eq!(reminder_backoff(4), Some(Duration::minutes(40)));
        assert_eq!(reminder_backoff(REMINDER_MAX_ATTEMPTS), None);
    }
}
