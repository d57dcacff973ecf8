//! Table `quarantine`: records that could not be mapped, with their raw payload and a reason
//! in French. The open quarantine of a source is the set of rows of its latest import, so each
//! import replaces the rows of its source.

use crate::batch::{rows_per_statement, values_list};
use crate::codec::unsigned_from_db;
use crate::connect::Store;
use crate::error::StoreError;
use releve_domain::Quarantined;
use sqlx::Row;

const COLUMNS: [&str; 7] = [
    "org",
    "source",
    "position",
    "line",
    "column_ref",
    "reason",
    "raw",
];

impl Store {
    /// Atomically replaces the quarantine of `source` by `rows` (which must all carry that
    /// source); an empty slice clears it.
    pub async fn replace_quarantine(
        &self,
        org: &str,
        source: &str,
        rows: &[Quarantined],
    ) -> Result<(), StoreError> {
        if let Some(other) = rows.iter().find(|q| q.source != source) {
            return Err(StoreError::SourceMismatch {
                what: "quarantaine",
                expected: source.to_string(),
                found: other.source.clone(),
            });
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM quarantine WHERE org = $1 AND source = $2")
            .bind(org)
            .bind(source)
            .execute(&mut *tx)
            .await?;
        let batch = rows_per_statement(self.backend(), COLUMNS.len());
        for (n, chunk) in rows.chunks(batch).enumerate() {
            let sql = format!(
                "INSERT INTO quarantine ({}) VALUES {}",
                COLUMNS.join(", "),
                values_list(chunk.len(), COLUMNS.len(), 1)
            );
            let mut query = sqlx::query(&sql);
            for (i, q) in chunk.iter().enumerate() {
                query = query
                    .bind(org)
                    .bind(source)
                    .bind((n * batch + i) as i64)
                    .bind(q.line.map(|l| i64::try_from(l).unwrap_or(i64::MAX)))
                    .bind(q.column.as_deref())
                    .bind(q.reason.as_str())
                    .bind(q.raw.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The open quarantine of the organisation, every source, sorted by source, line, column,
    /// reason (no line / no column first).
    pub async fn quarantine(&self, org: &str) -> Result<Vec<Quarantined>, StoreError> {
        let rows = sqlx::query(
            "SELECT source, position, line, column_ref, reason, raw FROM quarantine \
             WHERE org = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let source: String = row.try_get("source")?;
            let position: i64 = row.try_get("position")?;
            let line = match row.try_get::<Option<i64>, _>("line")? {
                Some(l) => Some(unsigned_from_db(l, "quarantine", || {
                    format!("{source}#{position}")
                })?),
                None => None,
            };
            out.push(Quarantined {
                line,
                column: row.try_get("column_ref")?,
                reason: row.try_get("reason")?,
                raw: row.try_get("raw")?,
                source,
            });
        }
        // `Quarantined`'s order is source, line, column, reason, raw; done here because NULLs
        // and text sort differently in PostgreSQL and SQLite.
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
