//! Table `sessions` (migration 0005): browser sessions of the workspace. The cookie carries a
//! random token; the table keeps only its SHA-256 (computed by the caller), the user, the
//! session's CSRF token and its expiry. Expired rows are ignored and purged.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A live session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(instant_to_db(now))
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(instant_to_db(now))
        .bind(instant_to_db(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session of that token hash, unless it has expired at `now`.
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at FROM sessions \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(instant_to_db(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(SessionRecord {
            user_id: row.try_get("user_id")?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: instant_from_db(row.try_get("expires_at")?, "sessions", || {
                "session".to_string()
            })?,
        }))
    }

    /// Ends a session (logout).
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, each_backend};

    #[tokio::test]
    async fn sessions_expire_and_end() {
        each_backend(|store| async move {
            let now = at("2025-12-01 10:00");
            let later = at("2025-12-01 22:00");
            store
                .create_session("hash-1", 7, "csrf-1", now, later)
                .await
                .unwrap();
            let live = store.session("hash-1", now).await.unwrap().unwrap();
            assert_eq!((live.user_id, live.csrf_token.as_str()), (7, "csrf-1"));
            assert!(store.session("hash-1", later).await.unwrap().is_none());
            assert!(store.session("other", now).await.unwrap().is_none());
            store.delete_session("hash-1").await.unwrap();
            assert!(store.session("hash-1", now).await.unwrap().is_none());
        })
        .await;
    }
}
