//! The ticket upsert as multi-row statements through the `Any` pool: SQLite's bulk path (and
//! PostgreSQL's when no native pool exists).
//!
//! The whole call is one transaction (`BEGIN IMMEDIATE` on SQLite), written a hundred rows
//! per statement; the statement text is the same for every full chunk, so sqlx prepares it
//! once per connection and reuses it. Nothing is read back but the revisions of the rows
//! written.
//!
//! SQLite: the transaction runs with `synchronous = NORMAL` on its connection, then the
//! connection's setting is put back. In WAL mode NORMAL does not sync the log at each commit
//! but only at checkpoints: a process crash still loses nothing committed, and a power cut may
//! lose the last import batches, which the next run imports again (imports are idempotent).
//! Approvals, submissions and the audit log keep the default (FULL), and their first commit
//! syncs the log with every import frame before it.

use super::{on_conflict_clause, Prepared, UpsertCounts, WRITTEN};
use crate::batch::{rows_per_statement, values_list};
use crate::connect::{Backend, Store};
use crate::error::StoreError;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Connection, Executor, Row};

pub(super) async fn upsert(
    store: &Store,
    org: &str,
    rows: &[Prepared<'_>],
) -> Result<UpsertCounts, StoreError> {
    let mut conn = store.pool.acquire().await?;
    let sqlite = store.backend() == Backend::Sqlite;
    let previous = if sqlite {
        Some(relax_sync(&mut conn).await?)
    } else {
        None
    };
    let per_statement = rows_per_statement(store.backend(), WRITTEN.len());
    let outcome = write(&mut conn, sqlite, org, rows, per_statement).await;
    if let Some(level) = previous {
        let restore = format!("PRAGMA synchronous = {level}");
        if conn.execute(restore.as_str()).await.is_err() {
            // Never hand back a connection with the relaxed setting.
            conn.close_on_drop();
        }
    }
    outcome
}

/// Sets `synchronous = NORMAL` on this connection; returns the setting it had (0–3).
async fn relax_sync(conn: &mut PoolConnection<Any>) -> Result<i64, StoreError> {
    let level: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(&mut **conn)
        .await?
        .try_get(0)?;
    conn.execute("PRAGMA synchronous = NORMAL").await?;
    Ok(level)
}

async fn write(
    conn: &mut AnyConnection,
    sqlite: bool,
    org: &str,
    rows: &[Prepared<'_>],
    per_statement: usize,
) -> Result<UpsertCounts, StoreError> {
    let mut tx = if sqlite {
        conn.begin_with("BEGIN IMMEDIATE").await?
    } else {
        conn.begin().await?
    };
    let clause = on_conflict_clause();
    let mut full_chunk_sql = None;
    let mut counts = UpsertCounts::default();
    for chunk in rows.chunks(per_statement) {
        let last_chunk_sql;
        let sql: &str = if chunk.len() == per_statement {
            full_chunk_sql.get_or_insert_with(|| insert_sql(chunk.len(), &clause))
        } else {
            last_chunk_sql = insert_sql(chunk.len(), &clause);
            &last_chunk_sql
        };
        let mut query = sqlx::query(sql);
        for p in chunk {
            let row = &p.row;
            query = query
                .bind(org)
                .bind(p.source)
                .bind(p.ticket_id)
                .bind(row.performance_external_id.as_str())
                .bind(row.price_cents)
                .bind(row.vat_rate.as_str())
                .bind(row.status.as_str())
                .bind(row.price_category.as_deref())
                .bind(row.price_kind.as_deref())
                .bind(row.sold_at)
                .bind(p.hash.as_str());
        }
        let written = query.fetch_all(&mut *tx).await?;
        for returned in &written {
            if returned.try_get::<i64, _>(0)? == 1 {
                counts.inserted += 1;
            } else {
                counts.updated += 1;
            }
        }
        counts.unchanged += (chunk.len() - written.len()) as u64;
        crate::faults::point("import.batch");
    }
    tx.commit().await?;
    Ok(counts)
}

fn insert_sql(rows: usize, clause: &str) -> String {
    format!(
        "INSERT INTO tickets ({}) VALUES {} {clause}",
        WRITTEN.join(", "),
        values_list(rows, WRITTEN.len(), 1)
    )
}
