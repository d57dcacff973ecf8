//! Table `tickets`: admissions, natural key `(org, source, ticket_id)`.
//!
//! A later import of the same ticket replaces its row: that is how refunds and cancellations
//! arrive. Rows are compared with what is stored first, so that the import can report how many
//! tickets were new, changed or unchanged, and unchanged rows are not rewritten.

use crate::batch::{placeholder_list, rows_per_statement, values_list};
use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::{Backend, Store};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::{Money, PriceKind, Ticket, TicketStatus, VatRate};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

const COLUMNS: [&str; 10] = [
    "org",
    "source",
    "ticket_id",
    "performance_external_id",
    "price_cents",
    "vat_rate",
    "status",
    "price_category",
    "price_kind",
    "sold_at",
];

/// What an upsert did, ticket by ticket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpsertCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A ticket in its stored form (without the key), compared to tell an update from a no-op.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TicketRow {
    performance_external_id: String,
    price_cents: i64,
    vat_rate: String,
    status: String,
    price_category: Option<String>,
    price_kind: Option<String>,
    sold_at: Option<i64>,
}

impl TicketRow {
    fn of(ticket: &Ticket) -> Result<TicketRow, StoreError> {
        let price_cents =
            ticket
                .price_incl_vat
                .to_cents()
                .ok_or_else(|| StoreError::PriceNotInCents {
                    source_key: ticket.source.clone(),
                    ticket_id: ticket.ticket_id.clone(),
                    price: ticket.price_incl_vat.amount().to_string(),
                })?;
        Ok(TicketRow {
            performance_external_id: ticket.performance_external_id.clone(),
            price_cents,
            vat_rate: ticket.vat_rate.to_string(),
            status: ticket.status.code().to_string(),
            price_category: ticket.price_category.clone(),
            price_kind: ticket.price_kind.map(|k| k.code().to_string()),
            sold_at: ticket.sold_at.map(instant_to_db),
        })
    }

    fn read(row: &AnyRow) -> Result<TicketRow, StoreError> {
        Ok(TicketRow {
            performance_external_id: row.try_get("performance_external_id")?,
            price_cents: row.try_get("price_cents")?,
            vat_rate: row.try_get("vat_rate")?,
            status: row.try_get("status")?,
            price_category: row.try_get("price_category")?,
            price_kind: row.try_get("price_kind")?,
            sold_at: row.try_get("sold_at")?,
        })
    }

    fn into_ticket(self, source: String, ticket_id: String) -> Result<Ticket, StoreError> {
        let key = || format!("{source}:{ticket_id}");
        let corrupt = |detail: String| StoreError::Corrupt {
            table: "tickets",
            key: key(),
            detail,
        };
        let vat_rate = VatRate::parse(&self.vat_rate).map_err(|e| corrupt(e.to_string()))?;
        let status = TicketStatus::parse(&self.status)
            .ok_or_else(|| corrupt(format!("statut inconnu « {} »", self.status)))?;
        let price_kind = match &self.price_kind {
            Some(k) => Some(
                PriceKind::parse(k)
                    .ok_or_else(|| corrupt(format!("type de tarif inconnu « {k} »")))?,
            ),
            None => None,
        };
        let sold_at = match self.sold_at {
            Some(s) => Some(instant_from_db(s, "tickets", key)?),
            None => None,
        };
        Ok(Ticket {
            source,
            ticket_id,
            performance_external_id: self.performance_external_id,
            price_incl_vat: Money::from_cents(self.price_cents),
            vat_rate,
            status,
            price_category: self.price_category,
            price_kind,
            sold_at,
        })
    }
}

impl Store {
    /// Inserts or replaces tickets in one transaction, a few hundred per statement. Every
    /// price is checked first: one that is not a whole number of cents fails the call before
    /// anything is written. When the same id appears twice in `tickets`, the last one wins.
    pub async fn upsert_tickets(
        &self,
        org: &str,
        tickets: &[Ticket],
    ) -> Result<UpsertCounts, StoreError> {
        let by_source = prepare(tickets)?;
        let batch = rows_per_statement(self.backend(), COLUMNS.len());
        let mut counts = UpsertCounts::default();
        let mut tx = self.begin_write().await?;
        for (source, rows) in &by_source {
            for chunk in rows.chunks(batch) {
                let stored = stored_rows(&mut tx, org, source, chunk).await?;
                let changed: Vec<&(&str, TicketRow)> = chunk
                    .iter()
                    .filter(|(id, row)| match stored.get(*id) {
                        None => {
                            counts.inserted += 1;
                            true
                        }
                        Some(old) if old == row => {
                            counts.unchanged += 1;
                            false
                        }
                        Some(_) => {
                            counts.updated += 1;
                            true
                        }
                    })
                    .collect();
                write_rows(&mut tx, org, source, &changed).await?;
                crate::faults::point("import.batch");
            }
        }
        tx.commit().await?;
        tracing::debug!(
            org,
            inserted = counts.inserted,
            updated = counts.updated,
            unchanged = counts.unchanged,
            "tickets upserted"
        );
        Ok(counts)
    }

    /// Tickets of the performances starting in `[from, to)`, sorted by source and ticket id.
    pub async fn tickets_between(
        &self,
        org: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Ticket>, StoreError> {
        let sql = format!(
            "SELECT {} FROM tickets t JOIN performances p ON p.org = t.org \
             AND p.source = t.source AND p.external_id = t.performance_external_id \
             WHERE t.org = $1 AND p.starts_at >= $2 AND p.starts_at < $3",
            COLUMNS[1..]
                .iter()
                .map(|c| format!("t.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(org)
            .bind(instant_to_db(from))
            .bind(instant_to_db(to))
            .fetch_all(&self.pool)
            .await?;
        let mut tickets = rows
            .iter()
            .map(|row| {
                let source: String = row.try_get("source")?;
                let ticket_id: String = row.try_get("ticket_id")?;
                TicketRow::read(row)?.into_ticket(source, ticket_id)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Sorted here, not in SQL: PostgreSQL's text collation differs from SQLite's byte order.
        tickets.sort_by(|a, b| (&a.source, &a.ticket_id).cmp(&(&b.source, &b.ticket_id)));
        Ok(tickets)
    }
}

/// Rows to write, by source, as `(ticket_id, row)`.
type BySource<'a> = BTreeMap<&'a str, Vec<(&'a str, TicketRow)>>;

/// Validated rows grouped by source, one per ticket id (the last given), in input order.
fn prepare(tickets: &[Ticket]) -> Result<BySource<'_>, StoreError> {
    let mut by_source: BySource = BTreeMap::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for ticket in tickets {
        let row = TicketRow::of(ticket)?;
        let rows = by_source.entry(ticket.source.as_str()).or_default();
        match index.get(&(ticket.source.as_str(), ticket.ticket_id.as_str())) {
            // PostgreSQL refuses to update the same row twice in one statement.
            Some(&i) => rows[i].1 = row,
            None => {
                index.insert((&ticket.source, &ticket.ticket_id), rows.len());
                rows.push((&ticket.ticket_id, row));
            }
        }
    }
    Ok(by_source)
}

/// The stored rows of these ticket ids, by id.
async fn stored_rows(
    conn: &mut AnyConnection,
    org: &str,
    source: &str,
    chunk: &[(&str, TicketRow)],
) -> Result<HashMap<String, TicketRow>, StoreError> {
    let sql = format!(
        "SELECT {} FROM tickets WHERE org = $1 AND source = $2 AND ticket_id IN ({})",
        COLUMNS[2..].join(", "),
        placeholder_list(chunk.len(), 3)
    );
    let mut query = sqlx::query(&sql).bind(org).bind(source);
    for (id, _) in chunk {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("ticket_id")?, TicketRow::read(row)?)))
        .collect()
}

async fn write_rows(
    conn: &mut AnyConnection,
    org: &str,
    source: &str,
    rows: &[&(&str, TicketRow)],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let updates = COLUMNS[3..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO tickets ({}) VALUES {} \
         ON CONFLICT (org, source, ticket_id) DO UPDATE SET {updates}",
        COLUMNS.join(", "),
        values_list(rows.len(), COLUMNS.len(), 1)
    );
    let mut query = sqlx::query(&sql);
    for (id, row) in rows.iter().copied() {
        query = query
            .bind(org)
            .bind(source)
            .bind(*id)
            .bind(row.performance_external_id.as_str())
            .bind(row.price_cents)
            .bind(row.vat_rate.as_str())
            .bind(row.status.as_str())
            .bind(row.price_category.as_deref())
            .bind(row.price_kind.as_deref())
            .bind(row.sold_at);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests;

impl Store {
    /// Refreshes the planner's statistics after a large import. On PostgreSQL, a table filled in
    /// one go has none, and the lookups of the next batches then scan every ticket of the source
    /// (a 500,000-ticket re-import took 51 s, 4 s after `ANALYZE`). SQLite needs nothing.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            sqlx::query("ANALYZE performances")
                .execute(&self.pool)
                .await?;
            sqlx::query("ANALYZE tickets").execute(&self.pool).await?;
        }
        Ok(())
    }
}
