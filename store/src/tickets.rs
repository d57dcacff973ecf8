//! Table `tickets`: admissions, natural key `(org, source, ticket_id)`.
//!
//! A later import of the same ticket replaces its row: that is how refunds and cancellations
//! arrive. The import reports how many tickets were new, changed or unchanged, and unchanged
//! rows are neither rewritten nor fetched: each row stores a hash of its values
//! (`content_hash`, migration 0012) and the upsert replaces a row only when the hash differs
//! (`INSERT … ON CONFLICT DO UPDATE … WHERE`), adding one to the row's `revision`. What each
//! statement returns (the revisions of the rows it wrote) gives the counts.
//!
//! Two write paths, one SQL clause ([`on_conflict_clause`]):
//! - `statements`: multi-row `INSERT` statements through the `Any` pool, a hundred rows each,
//!   the whole call in one transaction (SQLite; PostgreSQL when no native pool exists);
//! - `copy`: PostgreSQL `COPY` of the whole call into a temporary staging table, then one
//!   set-based upsert from it, through a native PostgreSQL pool (`COPY` is not in `Any`).
//!
//! Every other statement that changes a ticket's values must set `content_hash` to NULL (the
//! row is then compared column by column) or to the hash of its new values: a stale hash would
//! hide a change. `cancel_tickets_not_in` (`push_requests.rs`) is the only one today.

mod content_hash;
mod copy;
mod statements;

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::{Backend, Store};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::{Money, PriceKind, Ticket, TicketStatus, VatRate};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

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
    /// Inserts or replaces tickets in one transaction. Every price is checked first: one that
    /// is not a whole number of cents fails the call before anything is written. When the same
    /// id appears twice in `tickets`, the last one wins. The stored row is never fetched: the
    /// database compares the content hash inside the upsert (module documentation).
    pub async fn upsert_tickets(
        &self,
        org: &str,
        tickets: &[Ticket],
    ) -> Result<UpsertCounts, StoreError> {
        let rows = prepare(tickets)?;
        let counts = match &self.copy_pool {
            Some(pg) => copy::upsert(pg, org, &rows).await?,
            None => statements::upsert(self, org, &rows).await?,
        };
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

/// A validated ticket to write: its key, its stored values and their hash.
struct Prepared<'a> {
    source: &'a str,
    ticket_id: &'a str,
    row: TicketRow,
    hash: String,
}

/// Validated rows, one per (source, ticket id) — the last given — in input order.
fn prepare(tickets: &[Ticket]) -> Result<Vec<Prepared<'_>>, StoreError> {
    let mut rows: Vec<Prepared> = Vec::with_capacity(tickets.len());
    let mut index: HashMap<(&str, &str), usize> = HashMap::with_capacity(tickets.len());
    for ticket in tickets {
        let row = TicketRow::of(ticket)?;
        let prepared = Prepared {
            source: &ticket.source,
            ticket_id: &ticket.ticket_id,
            hash: content_hash::of(&row),
            row,
        };
        match index.get(&(ticket.source.as_str(), ticket.ticket_id.as_str())) {
            // PostgreSQL refuses to update the same row twice in one statement.
            Some(&i) => rows[i] = prepared,
            None => {
                index.insert((&ticket.source, &ticket.ticket_id), rows.len());
                rows.push(prepared);
            }
        }
    }
    Ok(rows)
}

/// Columns written by an import: the key, the values and the content hash.
const WRITTEN: [&str; 11] = [
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
    "content_hash",
];

/// The `ON CONFLICT` clause shared by both backends: a stored ticket is replaced only when its
/// content differs — by hash, or column by column when the stored hash is unknown (NULL: rows
/// older than migration 0012, or changed by a statement that does not compute it) — and each
/// replacement adds one to its revision. `RETURNING revision` gives one row per ticket
/// written: revision 1 for an insertion, more for a replacement, none for an unchanged ticket.
fn on_conflict_clause() -> String {
    let values = &COLUMNS[3..];
    let set = values
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let differs = values
        .iter()
        .map(|c| format!("tickets.{c} IS DISTINCT FROM excluded.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "ON CONFLICT (org, source, ticket_id) DO UPDATE SET {set}, \
         content_hash = excluded.content_hash, revision = tickets.revision + 1 \
         WHERE tickets.content_hash IS DISTINCT FROM excluded.content_hash \
         AND (tickets.content_hash IS NOT NULL OR {differs}) \
         RETURNING revision"
    )
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
