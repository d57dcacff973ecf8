//! One `tickets_csv` row → the performance it belongs to and the ticket, or the reason to
//! quarantine it. Pure: no state across rows (see `performances.rs` for that).

use super::columns::*;
use super::price_kind;
use crate::csv_input::{CellError, CellResult, Row};
use releve_domain::text::normalise_key;
use releve_domain::vat::VatError;
use releve_domain::{Money, PerformanceRecord, PriceKind, Ticket, TicketStatus, VatRate, Venue};

/// A good row.
pub struct ParsedRow {
    pub performance: PerformanceRecord,
    pub ticket: Ticket,
}

/// Reads every column of a row, in file-contract order; the first problem found is returned.
pub fn parse(source: &str, row: &Row<'_>) -> CellResult<ParsedRow> {
    let ticket_id = row.required(TICKET_ID)?;
    let performance_id = row.required(PERFORMANCE_ID)?;
    let show_title = row.required(SHOW_TITLE)?;
    let starts_at = row.required_instant(STARTS_AT)?;
    let venue_name = row.required(VENUE_NAME)?;
    let price = row
        .required(PRICE_INCL_VAT)
        .and_then(|_| row.money(PRICE_INCL_VAT))?;
    let price = price.expect("cell checked non-empty");
    let vat_rate = vat_rate(row, price)?;
    let status = status(row)?;
    let price_category = row.get(PRICE_CATEGORY);
    let price_kind = price_kind(row, price, price_category)?;
    let sold_at = row.instant(SOLD_AT)?;

    let performance = PerformanceRecord {
        source: source.to_string(),
        external_id: performance_id.to_string(),
        show_id: row
            .get(SHOW_ID)
            .map(str::to_string)
            .unwrap_or_else(|| normalise_key(show_title)),
        show_title: show_title.to_string(),
        starts_at,
        venue: Venue {
            name: venue_name.to_string(),
            address: row.get(VENUE_ADDRESS).map(str::to_string),
            postal_code: row.get(VENUE_POSTAL_CODE).map(str::to_string),
            city: row.get(VENUE_CITY).map(str::to_string),
            venue_type: None,
        },
        capacity: None,
        cancelled: false,
    };
    let ticket = Ticket {
        source: source.to_string(),
        ticket_id: ticket_id.to_string(),
        performance_external_id: performance_id.to_string(),
        price_incl_vat: price,
        vat_rate,
        status,
        price_category: price_category.map(str::to_string),
        price_kind,
        sold_at,
    };
    Ok(ParsedRow {
        performance,
        ticket,
    })
}

/// Required on a paid ticket; optional (0 by default) on a free one.
fn vat_rate(row: &Row<'_>, price: Money) -> CellResult<VatRate> {
    match row.get(VAT_RATE) {
        Some(text) => VatRate::parse(text).map_err(|e| {
            let expected = match e {
                VatError::Unreadable(_) => " ; attendu : un taux en pourcentage, par exemple 5,5",
                VatError::Unknown(_) => "",
            };
            CellError::at(VAT_RATE, format!("{e}{expected}"))
        }),
        None if price.is_positive() => Err(CellError::at(
            VAT_RATE,
            format!(
                "taux de TVA manquant pour un billet payant ({}) ; renseignez le taux en \
                 pourcentage (2,1, 5,5, 10 ou 20) ; il n'est facultatif que pour un billet à 0",
                price.to_french()
            ),
        )),
        None => Ok(VatRate::ZERO),
    }
}

fn status(row: &Row<'_>) -> CellResult<TicketStatus> {
    let text = row.required(STATUS)?;
    TicketStatus::parse(text).ok_or_else(|| {
        CellError::at(
            STATUS,
            format!("statut inconnu « {text} » ; attendu : valid, refunded ou cancelled"),
        )
    })
}

/// The explicit `price_kind`, else the family of a usual `price_category` label; a free
/// family on a paid ticket is a contradiction, not something to pick a side on.
fn price_kind(
    row: &Row<'_>,
    price: Money,
    category: Option<&str>,
) -> CellResult<Option<PriceKind>> {
    let (kind, column) = match row.get(PRICE_KIND) {
        Some(text) => {
            let kind = PriceKind::parse(text).ok_or_else(|| {
                CellError::at(
                    PRICE_KIND,
                    format!(
                        "type de tarif inconnu « {text} » ; attendu : full, reduced, \
                         subscription, free ou other, ou une cellule vide"
                    ),
                )
            })?;
            (Some(kind), PRICE_KIND)
        }
        None => (category.and_then(price_kind::from_category), PRICE_CATEGORY),
    };
    if kind == Some(PriceKind::Free) && price.is_positive() {
        let said = if column == PRICE_KIND {
            "type de tarif « free » (gratuit)".to_string()
        } else {
            format!(
                "catégorie de tarif « {} » (gratuite)",
                category.unwrap_or_default()
            )
        };
        return Err(CellError::at(
            column,
            format!(
                "{said} mais prix payé de {} ; un billet gratuit doit avoir un prix de 0, \
                 sinon corrigez le tarif",
                price.to_french()
            ),
        ));
    }
    Ok(kind)
}
