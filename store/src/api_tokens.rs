//! Table `api_tokens` (migration 0005): the tokens of the JSON API (`releve token create`).
//! Only the SHA-256 of a token is stored (computed by the caller); the scope and the
//! organisation or funder it is for are kept as given — the server's access module decides
//! what a scope allows.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A stored API token (never its value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub name: String,
    pub scope: String,
    pub org: Option<String>,
    pub funder: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, name, scope, org, funder, created_at, last_used_at, revoked_at";

impl Store {
    /// Stores a new token; `false` when the name is already taken.
    pub async fn create_api_token(
        &self,
        name: &str,
        token_hash: &str,
        scope: &str,
        org: Option<&str>,
        funder: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO api_tokens (name, token_hash, scope, org, funder, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(token_hash)
        .bind(scope)
        .bind(org)
        .bind(funder)
        .bind(instant_to_db(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The live (not revoked) token of that hash, its last use moved to `now`.
    pub async fn use_api_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiTokenRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut token = token_from_row(&row)?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(instant_to_db(now))
            .bind(token.id)
            .execute(&self.pool)
            .await?;
        token.last_used_at = Some(now);
        Ok(Some(token))
    }

    /// Revokes a token by name at once; `false` when no live token has that name.
    pub async fn revoke_api_token(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
        )
        .bind(instant_to_db(now))
        .bind(name)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every token (revoked ones included), sorted by name.
    pub async fn api_tokens(&self) -> Result<Vec<ApiTokenRecord>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens"))
            .fetch_all(&self.pool)
            .await?;
        let mut list = rows
            .iter()
            .map(token_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list)
    }
}

fn token_from_row(row: &sqlx::any::AnyRow) -> Result<ApiTokenRecord, StoreError> {
    let id: i64 = row.try_get("id")?;
    let key = || id.to_string();
    let optional = |column: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        let value: Option<i64> = row.try_get(column)?;
        value
            .map(|v| instant_from_db(v, "api_tokens", key))
            .transpose()
    };
    Ok(ApiTokenRecord {
        id,
        name: row.try_get("name")?,
        scope: row.try_get("scope")?,
        org: row.try_get("org")?,
        funder: row.try_get("funder")?,
        created_at: instant_from_db(row.try_get("created_at")?, "api_tokens", key)?,
        last_used_at: optional("last_used_at")?,
        revoked_at: optional("revoked_at")?,
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, each_backend};

    #[tokio::test]
    async fn tokens_are_found_by_hash_until_revoked() {
        each_backend(|store| async move {
            let now = at("2025-12-01 10:00");
            let later = at("2025-12-02 10:00");
            assert!(store
                .create_api_token("outil", "h1", "read", Some("venue"), None, now)
                .await
                .unwrap());
            assert!(!store
                .create_api_token("outil", "h2", "write", Some("venue"), None, now)
                .await
                .unwrap());
            let token = store.use_api_token("h1", later).await.unwrap().unwrap();
            assert_eq!(token.scope, "read");
            assert_eq!(token.org.as_deref(), Some("venue"));
            let listed = store.api_tokens().await.unwrap();
            assert_eq!(listed[0].last_used_at, Some(later));
            assert!(store.revoke_api_token("outil", later).await.unwrap());
            assert!(!store.revoke_api_token("outil", later).await.unwrap());
            assert!(store.use_api_token("h1", later).await.unwrap().is_none());
            assert!(store.api_tokens().await.unwrap()[0].revoked_at.is_some());
        })
        .await;
    }
}
