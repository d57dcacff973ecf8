//! Supersoniks and SoTicket collector (one implementation, two source kinds).
//!
//! - **API**: each customer's own ticketing domain serves the API under
//!   `https://<billetterie-domain>/api/v2/` (contract: `https://<domain>/api/ministery/definition.yaml`).
//!   SoTicket is the same API under another brand. There is no shared host: `base_url` is
//!   required — the full `…/api/v2` address, or the bare domain, to which `/api/v2` is added.
//! - **Auth**: `Authorization: Bearer <JWT>` (`PREFIX_TOKEN`, a token starting with `ey…`,
//!   obtained by e-mail from the vendor's support). The customer's firewall may have to
//!   allow-list releve's IP address: a "token expired/invalid" answer (401/403) can in fact
//!   be the firewall.
//! - **Call**: `GET /statement/closing?from=<unix>&to=<unix>&bypass_closed=true` — the
//!   closing statements ("bordereaux de clôture") of the sessions in the window, closed or
//!   not. Envelope `{success, total, messages[], data[]}`; `success: false` is reported with
//!   the vendor's public messages.
//! - **Paging**: none — one answer holds every statement of the window.
//! - **Incremental sync**: the API filters by **session date**, not by sale or change date,
//!   so there is no change feed: every sync reads all sessions from 13 months back (or the
//!   cursor, if older) to 12 months ahead, i.e. every performance is re-read in full each
//!   time and late refunds are caught.
//! - **Limits**: none documented; a single call per sync (paced at 60 per minute anyway).
//! - **Quirks** (see [`normalise`] for the mapping):
//!   - aggregated per tariff: no ticket-level data; tickets are synthesised per line with
//!     stable ids, `internals_prices` (own sales) and `externals_prices` (resellers: FNAC,
//!     Digitick, Ticketmaster…) both count;
//!   - euros as JSON floats, read exactly; free = `amount` 0;
//!   - **negative partial-refund lines** (negative `amount`/`revenue`, quantity 0) reduce
//!     the price of tickets of the same tariff, or refund them wholly (module doc of
//!     [`normalise`]);
//!   - times are unix seconds (UTC); `session.time_zone` is informative; `end_date` 0 = none;
//!   - VAT: `session.settings.tax.rate`, a fraction (`0.055`), one rate per session;
//!   - only `entity_type = event` is a show; sessions of one show share
//!     `multisession.multisession_id` (show id `multisession-<id>`, else `session-<id>`);
//!   - capacity: the statement's `gauge`; venue: `session.location` (lenient field names);
//!   - when a line's `quantity` goes down between two statements of a session (whole
//!     refunds counted out of the line rather than as a negative line), the tickets numbered
//!     above the new quantity are emitted as refunded — but only when the earlier statement
//!     is normalised together with the later one (`normalise_stored` over the stored raw
//!     exchanges). A sync alone sees one statement: known limit, until the binary
//!     re-normalises a source's stored exchanges after each sync (or the store keeps a
//!     high-water mark per line).

mod client;
pub mod model;
pub mod normalise;
#[cfg(test)]
pub(crate) mod tests;

use crate::api::{ApiCollector, ApiContext, ApiError, RawExchange};
use crate::http::{HttpClient, HttpConfig, RateLimit};
use crate::{Record, SourceKind};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub const RATE_LIMIT: RateLimit = RateLimit::new(60, Duration::from_secs(60));

/// The collector of one Supersoniks or SoTicket customer.
pub struct Supersoniks {
    ctx: ApiContext,
    http: HttpClient,
}

impl Supersoniks {
    /// `ctx.kind` is `Supersoniks` or `Soticket`; it names the vendor in errors and raw
    /// exchanges.
    pub fn new(ctx: ApiContext) -> Supersoniks {
        let http = HttpClient::new(
            ctx.kind.code(),
            HttpConfig::with_rate_limit(RATE_LIMIT),
            ctx.sleeper.clone(),
        );
        Supersoniks { ctx, http }
    }

    fn vendor(&self) -> &'static str {
        self.ctx.kind.code()
    }
}

impl ApiCollector for Supersoniks {
    fn kind(&self) -> SourceKind {
        self.ctx.kind
    }

    async fn check(&self) -> Result<(), ApiError> {
        client::check(&self.ctx, &self.http, self.vendor()).await
    }

    async fn fetch(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError> {
        client::fetch(&self.ctx, &self.http, self.vendor(), since, now).await
    }

    fn normalise(&self, raw: &[RawExchange]) -> Vec<Record> {
        normalise::normalise(&self.ctx.source_key, raw)
    }
}
