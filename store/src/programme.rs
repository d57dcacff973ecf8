//! Table `programme_entries`: the season as each programme source describes it.
//!
//! A programme file is the whole season, so an import replaces every row of its source. The
//! entry is stored whole as JSON (its serde form), with the columns queries filter on
//! (`starts_at`, `line`, `performance_id`) beside it.

use crate::batch::{rows_per_statement, values_list};
use crate::codec::{instant_to_db, unsigned_from_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::ProgrammeEntry;
use sqlx::Row;

const COLUMNS: [&str; 7] = [
    "org",
    "source",
    "position",
    "line",
    "starts_at",
    "performance_id",
    "entry_json",
];

impl Store {
    /// Atomically replaces all programme rows of `source` by `entries` (which must all carry
    /// that source).
    pub async fn replace_programme(
        &self,
        org: &str,
        source: &str,
        entries: &[ProgrammeEntry],
    ) -> Result<(), StoreError> {
        let mut rows = Vec::with_capacity(entries.len());
        for (position, entry) in entries.iter().enumerate() {
            if entry.source != source {
                return Err(StoreError::SourceMismatch {
                    what: "programme",
                    expected: source.to_string(),
                    found: entry.source.clone(),
                });
            }
            let line = i64::try_from(entry.line).unwrap_or(i64::MAX);
            rows.push((position as i64, line, entry, serde_json::to_string(entry)?));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM programme_entries WHERE org = $1 AND source = $2")
            .bind(org)
            .bind(source)
            .execute(&mut *tx)
            .await?;
        for chunk in rows.chunks(rows_per_statement(self.backend(), COLUMNS.len())) {
            let sql = format!(
                "INSERT INTO programme_entries ({}) VALUES {}",
                COLUMNS.join(", "),
                values_list(chunk.len(), COLUMNS.len(), 1)
            );
            let mut query = sqlx::query(&sql);
            for (position, line, entry, json) in chunk {
                query = query
                    .bind(org)
                    .bind(source)
                    .bind(*position)
                    .bind(*line)
                    .bind(instant_to_db(entry.starts_at))
                    .bind(entry.performance_id.as_deref())
                    .bind(json.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Programme entries starting in `[from, to)`, sorted by source and line (then by their
    /// order in the import).
    pub async fn programme_between(
        &self,
        org: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ProgrammeEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT source, position, line, entry_json FROM programme_entries \
             WHERE org = $1 AND starts_at >= $2 AND starts_at < $3",
        )
        .bind(org)
        .bind(instant_to_db(from))
        .bind(instant_to_db(to))
        .fetch_all(&self.pool)
        .await?;
        let mut keyed = Vec::with_capacity(rows.len());
        for row in &rows {
            let source: String = row.try_get("source")?;
            let position: i64 = row.try_get("position")?;
            let key = || format!("{source}#{position}");
            let line: u64 = unsigned_from_db(row.try_get("line")?, "programme_entries", key)?;
            let json: String = row.try_get("entry_json")?;
            let entry: ProgrammeEntry =
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                    table: "programme_entries",
                    key: key(),
                    detail: e.to_string(),
                })?;
            keyed.push(((source, line, position), entry));
        }
        // Sorted here, not in SQL: PostgreSQL's text collation differs from SQLite's byte order.
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(keyed.into_iter().map(|(_, entry)| entry).collect())
    }
}

#[cfg(test)]
mod tests;
