//! Table `performances`: performances as each ticketing source knows them, natural key
//! `(org, source, external_id)`. A later import of the same id replaces the row.

use crate::batch::{rows_per_statement, values_list};
use crate::codec::{flag_from_db, flag_to_db, instant_from_db, instant_to_db, unsigned_from_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::{PerformanceRecord, Venue};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

const COLUMNS: [&str; 13] = [
    "org",
    "source",
    "external_id",
    "show_id",
    "show_title",
    "starts_at",
    "venue_name",
    "venue_address",
    "venue_postal_code",
    "venue_city",
    "venue_type",
    "capacity",
    "cancelled",
];

impl Store {
    /// Inserts or replaces performances, in one transaction. When the same id appears twice in
    /// `records`, the last one wins.
    pub async fn upsert_performances(
        &self,
        org: &str,
        records: &[PerformanceRecord],
    ) -> Result<(), StoreError> {
        let records = last_of_each(records);
        let updates = COLUMNS[3..]
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut tx = self.begin_write().await?;
        for chunk in records.chunks(rows_per_statement(self.backend(), COLUMNS.len())) {
            let sql = format!(
                "INSERT INTO performances ({}) VALUES {} \
                 ON CONFLICT (org, source, external_id) DO UPDATE SET {updates}",
                COLUMNS.join(", "),
                values_list(chunk.len(), COLUMNS.len(), 1)
            );
            let mut query = sqlx::query(&sql);
            for p in chunk {
                query = query
                    .bind(org)
                    .bind(p.source.as_str())
                    .bind(p.external_id.as_str())
                    .bind(p.show_id.as_str())
                    .bind(p.show_title.as_str())
                    .bind(instant_to_db(p.starts_at))
                    .bind(p.venue.name.as_str())
                    .bind(p.venue.address.as_deref())
                    .bind(p.venue.postal_code.as_deref())
                    .bind(p.venue.city.as_deref())
                    .bind(p.venue.venue_type.as_deref())
                    .bind(p.capacity.map(i64::from))
                    .bind(flag_to_db(p.cancelled));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Performances starting in `[from, to)`, sorted by start, source, external id.
    pub async fn performances_between(
        &self,
        org: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<PerformanceRecord>, StoreError> {
        let sql = format!(
            "SELECT {} FROM performances WHERE org = $1 AND starts_at >= $2 AND starts_at < $3",
            COLUMNS.join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(org)
            .bind(instant_to_db(from))
            .bind(instant_to_db(to))
            .fetch_all(&self.pool)
            .await?;
        let mut records = rows
            .iter()
            .map(performance_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        // Sorted here, not in SQL: PostgreSQL's text collation differs from SQLite's byte order.
        records.sort_by(|a, b| {
            (a.starts_at, &a.source, &a.external_id).cmp(&(b.starts_at, &b.source, &b.external_id))
        });
        Ok(records)
    }
}

fn performance_from_row(row: &AnyRow) -> Result<PerformanceRecord, StoreError> {
    let source: String = row.try_get("source")?;
    let external_id: String = row.try_get("external_id")?;
    let key = || format!("{source}:{external_id}");
    let starts_at = instant_from_db(row.try_get("starts_at")?, "performances", key)?;
    let capacity = match row.try_get::<Option<i64>, _>("capacity")? {
        Some(c) => Some(unsigned_from_db(c, "performances", key)?),
        None => None,
    };
    Ok(PerformanceRecord {
        show_id: row.try_get("show_id")?,
        show_title: row.try_get("show_title")?,
        starts_at,
        venue: Venue {
            name: row.try_get("venue_name")?,
            address: row.try_get("venue_address")?,
            postal_code: row.try_get("venue_postal_code")?,
            city: row.try_get("venue_city")?,
            venue_type: row.try_get("venue_type")?,
        },
        capacity,
        cancelled: flag_from_db(row.try_get("cancelled")?),
        source,
        external_id,
    })
}

/// One record per `(source, external_id)`, the last given, in order of first appearance
/// (PostgreSQL refuses to update the same row twice in one statement).
fn last_of_each(records: &[PerformanceRecord]) -> Vec<&PerformanceRecord> {
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    let mut out: Vec<&PerformanceRecord> = Vec::with_capacity(records.len());
    for r in records {
        match index.get(&(r.source.as_str(), r.external_id.as_str())) {
            Some(&i) => out[i] = r,
            None => {
                index.insert((&r.source, &r.external_id), out.len());
                out.push(r);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
