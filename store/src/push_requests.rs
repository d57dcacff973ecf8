//! The vendor push's bookkeeping (migration 0010): `push_requests`, one row per
//! `Idempotency-Key` of an organisation with the SHA-256 of the body it came with and the answer
//! given, and the "full replacement" of a performance's tickets (`replace_performances`).
//!
//! The binary looks a key up before applying a push and records it after: a replay (same key,
//! same body) gets the recorded answer without anything being applied again; another body under
//! the same key is refused by the caller. A push interrupted before its key was recorded is
//! applied again by the vendor's retry, which is harmless: tickets are upserted by id.

use crate::codec::instant_to_db;
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::collections::HashSet;

/// A recorded push answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushAnswer {
    pub body_sha256: String,
    pub status: u16,
    pub answer: serde_json::Value,
}

impl Store {
    /// The answer recorded under `key`, if any.
    pub async fn push_answer(
        &self,
        org: &str,
        key: &str,
    ) -> Result<Option<PushAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT body_sha256, status, answer_json FROM push_requests \
             WHERE org = $1 AND idempotency_key = $2",
        )
        .bind(org)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let answer: String = row.try_get("answer_json")?;
        let status: i64 = row.try_get("status")?;
        Ok(Some(PushAnswer {
            body_sha256: row.try_get("body_sha256")?,
            status: u16::try_from(status).unwrap_or(500),
            answer: serde_json::from_str(&answer).map_err(|e| StoreError::Corrupt {
                table: "push_requests",
                key: key.to_string(),
                detail: e.to_string(),
            })?,
        }))
    }

    /// Records the answer given under `key`. `false` when the key was recorded meanwhile (by a
    /// concurrent request): the caller answers with what is recorded.
    pub async fn record_push_answer(
        &self,
        org: &str,
        key: &str,
        answer: &PushAnswer,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO push_requests (org, idempotency_key, body_sha256, status, answer_json, at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org, idempotency_key) DO NOTHING",
        )
        .bind(org)
        .bind(key)
        .bind(&answer.body_sha256)
        .bind(i64::from(answer.status))
        .bind(answer.answer.to_string())
        .bind(instant_to_db(at))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Full replacement of a performance's tickets by a vendor: every valid ticket of `source`
    /// for that performance whose id is not in `keep` becomes cancelled (a refunded one stays
    /// refunded: it already does not count). Returns how many changed.
    pub async fn cancel_tickets_not_in(
        &self,
        org: &str,
        source: &str,
        performance_external_id: &str,
        keep: &HashSet<String>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT ticket_id FROM tickets WHERE org = $1 AND source = $2 \
             AND performance_external_id = $3 AND status = 'valid'",
        )
        .bind(org)
        .bind(source)
        .bind(performance_external_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut changed = 0;
        for row in &rows {
            let id: String = row.try_get("ticket_id")?;
            if keep.contains(&id) {
                continue;
            }
            let done = sqlx::query(
                // The hash is not recomputed here: NULL makes the next import compare the
                // row column by column (`tickets.rs`).
                "UPDATE tickets SET status = 'cancelled', content_hash = NULL, \
                 revision = revision + 1 WHERE org = $1 AND source = $2 AND ticket_id = $3",
            )
            .bind(org)
            .bind(source)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            changed += done.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Adds quarantine records to a source's open quarantine, replacing those that carry one of
    /// `replaced` in their raw payload's `ticket_id` (a pushed ticket sent again, right or
    /// wrong, takes the place of its earlier rejection).
    pub async fn add_push_quarantine(
        &self,
        org: &str,
        source: &str,
        replaced: &HashSet<String>,
        rows: &[releve_domain::Quarantined],
    ) -> Result<(), StoreError> {
        let mut kept: Vec<releve_domain::Quarantined> = self
            .quarantine(org)
            .await?
            .into_iter()
            .filter(|q| q.source == source)
            .filter(|q| {
                let id = serde_json::from_str::<serde_json::Value>(&q.raw)
                    .ok()
                    .and_then(|v| v["ticket_id"].as_str().map(str::to_string));
                id.is_none_or(|id| !replaced.contains(&id))
            })
            .collect();
        kept.extend(rows.iter().cloned());
        kept.sort();
        kept.dedup();
        self.replace_quarantine(org, source, &kept).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::each_backend;

    #[tokio::test]
    async fn an_answer_is_recorded_once_per_key() {
        each_backend(|store| async move {
            let answer = PushAnswer {
                body_sha256: "abc".into(),
                status: 200,
                answer: serde_json::json!({"accepted": 2, "rejected": []}),
            };
            let at = DateTime::from_timestamp(1_000, 0).unwrap();
            assert_eq!(store.push_answer("digues", "k1").await.unwrap(), None);
            assert!(store
                .record_push_answer("digues", "k1", &answer, at)
                .await
                .unwrap());
            let other = PushAnswer {
                body_sha256: "def".into(),
                ..answer.clone()
            };
            assert!(!store
                .record_push_answer("digues", "k1", &other, at)
                .await
                .unwrap());
            assert_eq!(
                store.push_answer("digues", "k1").await.unwrap(),
                Some(answer)
            );
            // Keys are per organisation.
            assert_eq!(store.push_answer("large", "k1").await.unwrap(), None);
        })
        .await;
    }
}
