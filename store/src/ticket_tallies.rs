//! The tickets of a period counted by the database: one row per performance, status, VAT rate,
//! price kind and zero/non-zero price, with the number of tickets and the sum of their prices
//! in integer cents (exact). The monthly facts are folded from these rows
//! (`releve_domain::facts::Tallies`), so a month of half a million tickets is read as a few
//! thousand rows and never held ticket by ticket.

use crate::codec::instant_to_db;
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use releve_domain::facts::{Tallies, TicketGroup};
use releve_domain::{Money, PriceKind, TicketStatus, VatRate};
use sqlx::Row;

/// Same window and join as `tickets_between`: the tickets follow their performance's start.
/// Every integer is cast to `BIGINT` so that both backends hand back an `i64` (PostgreSQL's
/// `SUM(BIGINT)` is a `NUMERIC`, which the `Any` driver cannot read).
const TALLY_SQL: &str = "\
SELECT t.source, t.performance_external_id, t.status, t.vat_rate, t.price_kind, \
       CAST(CASE WHEN t.price_cents = 0 THEN 1 ELSE 0 END AS BIGINT) AS free, \
       CAST(COUNT(*) AS BIGINT) AS tickets, \
       CAST(SUM(t.price_cents) AS BIGINT) AS cents \
FROM tickets t JOIN performances p ON p.org = t.org \
  AND p.source = t.source AND p.external_id = t.performance_external_id \
WHERE t.org = $1 AND p.starts_at >= $2 AND p.starts_at < $3 \
GROUP BY t.source, t.performance_external_id, t.status, t.vat_rate, t.price_kind, \
         CASE WHEN t.price_cents = 0 THEN 1 ELSE 0 END";

impl Store {
    /// Ticket figures of the performances starting in `[from, to)`, per performance, counted
    /// and summed by the database.
    pub async fn ticket_tallies_between(
        &self,
        org: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Tallies, StoreError> {
        let rows = sqlx::query(TALLY_SQL)
            .bind(org)
            .bind(instant_to_db(from))
            .bind(instant_to_db(to))
            .fetch_all(&self.pool)
            .await?;
        let mut tallies = Tallies::default();
        for row in &rows {
            let source: String = row.try_get("source")?;
            let performance: String = row.try_get("performance_external_id")?;
            let group = read_group(row, &source, &performance)?;
            tallies.add(&source, &performance, &group);
        }
        Ok(tallies)
    }
}

fn read_group(
    row: &sqlx::any::AnyRow,
    source: &str,
    performance: &str,
) -> Result<TicketGroup, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        table: "tickets",
        key: format!("{source}:{performance}"),
        detail,
    };
    let status: String = row.try_get("status")?;
    let rate: String = row.try_get("vat_rate")?;
    let kind: Option<String> = row.try_get("price_kind")?;
    let free: i64 = row.try_get("free")?;
    let tickets: i64 = row.try_get("tickets")?;
    let cents: i64 = row.try_get("cents")?;
    let price_kind = match &kind {
        Some(k) => Some(
            PriceKind::parse(k).ok_or_else(|| corrupt(format!("type de tarif inconnu « {k} »")))?,
        ),
        None => None,
    };
    Ok(TicketGroup {
        status: TicketStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("statut inconnu « {status} »")))?,
        vat_rate: VatRate::parse(&rate).map_err(|e| corrupt(e.to_string()))?,
        price_kind,
        free: free != 0,
        tickets: u64::try_from(tickets).map_err(|_| corrupt(format!("compte {tickets}")))?,
        receipts_incl_vat: Money::from_cents(cents),
    })
}
