//! Table `registry_answers` (migration 0007): the cache of the public company register.
//!
//! One row per SIRET or SIREN asked: the last answer as received, its SHA-256 (computed by the
//! caller, which checks it again when it reads the row) and when it was fetched. A new answer
//! for a number replaces the previous one. Not keyed by organisation: the register's answers
//! are public facts about companies, the same for every organisation of the installation.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One cached answer of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryAnswer {
    /// The SIRET (14 digits) or SIREN (9 digits) asked.
    pub number: String,
    /// Method and URL of the call that brought it.
    pub request: String,
    /// The body exactly as received.
    pub body: String,
    /// SHA-256 of `body`, lower-case hex.
    pub sha256: String,
    pub fetched_at: DateTime<Utc>,
}

impl Store {
    /// The cached answer for `number`, if any.
    pub async fn registry_answer(
        &self,
        number: &str,
    ) -> Result<Option<RegistryAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT number, request, body, sha256, fetched_at FROM registry_answers WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(RegistryAnswer {
            number: row.try_get("number")?,
            request: row.try_get("request")?,
            body: row.try_get("body")?,
            sha256: row.try_get("sha256")?,
            fetched_at: instant_from_db(row.try_get("fetched_at")?, "registry_answers", || {
                number.to_string()
            })?,
        }))
    }

    /// Stores `answer`, replacing any earlier answer for the same number.
    pub async fn save_registry_answer(&self, answer: &RegistryAnswer) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM registry_answers WHERE number = $1")
            .bind(&answer.number)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO registry_answers (number, request, body, sha256, fetched_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&answer.number)
        .bind(&answer.request)
        .bind(&answer.body)
        .bind(&answer.sha256)
        .bind(instant_to_db(answer.fetched_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, each_backend};

    fn answer(body: &str, fetched: &str) -> RegistryAnswer {
        RegistryAnswer {
            number: "91234561800025".into(),
            request: "GET http://127.0.0.1:9/search?q=91234561800025".into(),
            body: body.into(),
            sha256: format!("hash of {body}"),
            fetched_at: at(fetched),
        }
    }

    #[tokio::test]
    async fn an_answer_is_kept_as_received_and_replaced_by_a_newer_one() {
        each_backend(|store| async move {
            assert_eq!(store.registry_answer("91234561800025").await.unwrap(), None);
            // Bytes a normaliser would change: accents, spacing, a trailing newline.
            let first = answer(
                "{\"results\": [ {\"nom_complet\": \"Théâtre  Été\"} ]}\n",
                "2026-11-02 10:00",
            );
            store.save_registry_answer(&first).await.unwrap();
            assert_eq!(
                store.registry_answer("91234561800025").await.unwrap(),
                Some(first)
            );
            let second = answer("{\"results\": []}", "2026-12-03 09:30");
            store.save_registry_answer(&second).await.unwrap();
            assert_eq!(
                store.registry_answer("91234561800025").await.unwrap(),
                Some(second)
            );
            assert_eq!(store.registry_answer("912345618").await.unwrap(), None);
        })
        .await;
    }
}
