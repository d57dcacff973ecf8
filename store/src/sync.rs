//! Tables `source_cursors` and `raw_exchanges` (migration 0002): the incremental sync state of
//! vendor API sources.
//!
//! A sync's raw exchanges and its new cursor are written in one transaction by
//! [`Store::commit_sync`], which the binary calls only after the sync succeeded and its records
//! were saved: a failed sync leaves the cursor where it was. [`Store::raw_exchanges`] gives
//! back everything stored for a source, in fetch order, so that a mapping fix re-normalises
//! without calling the vendor. The store does not scrub: collectors hand it scrubbed requests.

use crate::batch::{rows_per_statement, values_list};
use crate::codec::{instant_from_db, instant_to_db, unsigned_from_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One vendor call as stored (the collectors' `RawExchange`, which this crate cannot name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredExchange {
    pub vendor: String,
    pub endpoint: String,
    /// Method and URL, secrets masked.
    pub request: String,
    pub status: u16,
    pub body: String,
    pub fetched_at: DateTime<Utc>,
}

const COLUMNS: [&str; 10] = [
    "org",
    "source",
    "sync_at",
    "position",
    "vendor",
    "endpoint",
    "request",
    "status",
    "body",
    "fetched_at",
];

impl Store {
    /// Where the next sync of `source` starts; `None` before its first successful sync.
    pub async fn sync_cursor(
        &self,
        org: &str,
        source: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row =
            sqlx::query("SELECT cursor_at FROM source_cursors WHERE org = $1 AND source = $2")
                .bind(org)
                .bind(source)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(instant_from_db(
                r.try_get("cursor_at")?,
                "source_cursors",
                || format!("{org}/{source}"),
            )?)),
        }
    }

    /// Stores the raw exchanges of a successful sync and moves the cursor to `cursor`, atomically.
    pub async fn commit_sync(
        &self,
        org: &str,
        source: &str,
        cursor: DateTime<Utc>,
        exchanges: &[StoredExchange],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let sync_at = instant_to_db(cursor);
        let batch = rows_per_statement(self.backend(), COLUMNS.len());
        for (n, chunk) in exchanges.chunks(batch).enumerate() {
            let sql = format!(
                "INSERT INTO raw_exchanges ({}) VALUES {}",
                COLUMNS.join(", "),
                values_list(chunk.len(), COLUMNS.len(), 1)
            );
            let mut query = sqlx::query(&sql);
            for (i, e) in chunk.iter().enumerate() {
                query = query
                    .bind(org)
                    .bind(source)
                    .bind(sync_at)
                    .bind((n * batch + i) as i64)
                    .bind(e.vendor.as_str())
                    .bind(e.endpoint.as_str())
                    .bind(e.request.as_str())
                    .bind(i32::from(e.status))
                    .bind(e.body.as_str())
                    .bind(instant_to_db(e.fetched_at));
            }
            query.execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO source_cursors (org, source, cursor_at) VALUES ($1, $2, $3) \
             ON CONFLICT (org, source) DO UPDATE SET cursor_at = excluded.cursor_at",
        )
        .bind(org)
        .bind(source)
        .bind(sync_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every stored exchange of `source`, oldest sync first, in fetch order within a sync.
    pub async fn raw_exchanges(
        &self,
        org: &str,
        source: &str,
    ) -> Result<Vec<StoredExchange>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, sync_at, position, vendor, endpoint, request, status, body, fetched_at \
             FROM raw_exchanges WHERE org = $1 AND source = $2",
        )
        .bind(org)
        .bind(source)
        .fetch_all(&self.pool)
        .await?;
        let mut keyed = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let key = || format!("{org}/{source}#{id}");
            let status: i32 = row.try_get("status")?;
            keyed.push((
                (
                    row.try_get::<i64, _>("sync_at")?,
                    row.try_get::<i64, _>("position")?,
                    id,
                ),
                StoredExchange {
                    vendor: row.try_get("vendor")?,
                    endpoint: row.try_get("endpoint")?,
                    request: row.try_get("request")?,
                    status: unsigned_from_db(i64::from(status), "raw_exchanges", key)?,
                    body: row.try_get("body")?,
                    fetched_at: instant_from_db(row.try_get("fetched_at")?, "raw_exchanges", key)?,
                },
            ));
        }
        keyed.sort_by_key(|(k, _)| *k);
        Ok(keyed.into_iter().map(|(_, e)| e).collect())
    }
}

#[cfg(test)]
mod tests;
