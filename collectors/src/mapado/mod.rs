//! Mapado collector (Mapado Billetterie, API Platform / Hydra).
//!
//! - **API**: <https://ticketing.mapado.net/doc.html>, base URL `https://ticketing.mapado.net`,
//!   resources under `/v1`, JSON-LD + Hydra.
//! - **Auth**: `Authorization: Bearer <token>` (`MAPADO_TOKEN`): the "jeton d'authentification"
//!   of an application created at <https://accounts.mapado.com/applications/> by a dedicated
//!   read-only collaborator.
//! - **Calls**: `/v1/tickets?user=me&updatedSince=…` (changed tickets → their event dates) →
//!   `/v1/event_dates?@id=…&fields=@id,ticketing` (→ ticketings) → `/v1/ticketings?@id=…`
//!   (show, type, venue) → per dated ticketing, its event dates with their price list
//!   (`ticketPriceList{…, facialValue, valueIncvat, tax{rate,countryCode}}`) and **all** its
//!   tickets (`/v1/tickets?ticketing=<IRI>`), so a late refund replaces the ticket.
//! - **Paging**: Hydra: `page` and `itemsPerPage` (10 000 per page for tickets, accepted by
//!   Mapado); we read pages while the answer has `hydra:view.hydra:next` (or the older
//!   `hydra:nextPage`) and members.
//! - **Limits**: none documented; we pace at 10 calls per second.
//! - **Quirks**: ids are IRIs (`/v1/event_dates/44001`): filters take the short ids, sent in
//!   chunks of 500 (longer lists answer HTTP 400/414); ticket `facialValue` is in **cents**
//!   while `valueIncvat`/`paidValue` are **euros** (floats on the wire, read as decimals); a
//!   ticket with a null or negative `facialValue` takes its price category's; `tax.rate` is a
//!   fraction (`0.055`); a price taxed outside France (`countryCode` not `FR`/`CORSE`) is
//!   quarantined; only `dated_events` ticketings are performances (`undated_event` and
//!   `offer`, e.g. subscriptions, are not read); ticket `status`: `payed` (sic) valid,
//!   `refunded` refunded, `cancelled` and unpaid `booked` cancelled; imported tickets without
//!   a price category are quarantined.

pub(crate) mod client;
pub mod model;
pub mod normalise;
#[cfg(test)]
pub(crate) mod tests;

use crate::api::{ApiCollector, ApiContext, ApiError, RawExchange};
use crate::http::{HttpClient, HttpConfig, RateLimit};
use crate::{Record, SourceKind};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://ticketing.mapado.net";
pub const VENDOR: &str = "mapado";
pub const RATE_LIMIT: RateLimit = RateLimit::new(10, Duration::from_secs(1));
/// Ids per filter value: longer lists make URLs Mapado refuses.
pub const ID_CHUNK: usize = 500;

pub struct Mapado {
    ctx: ApiContext,
    http: HttpClient,
}

impl Mapado {
    pub fn new(ctx: ApiContext) -> Mapado {
        let http = HttpClient::new(
            VENDOR,
            HttpConfig::with_rate_limit(RATE_LIMIT),
            ctx.sleeper.clone(),
        );
        Mapado { ctx, http }
    }
}

impl ApiCollector for Mapado {
    fn kind(&self) -> SourceKind {
        SourceKind::Mapado
    }

    async fn check(&self) -> Result<(), ApiError> {
        client::check(&self.ctx, &self.http).await
    }

    async fn fetch(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError> {
        client::fetch(&self.ctx, &self.http, since, now).await
    }

    fn normalise(&self, raw: &[RawExchange]) -> Vec<Record> {
        normalise::normalise(&self.ctx.source_key, raw)
    }
}
