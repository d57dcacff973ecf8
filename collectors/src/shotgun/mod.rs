//! Shotgun collector.
//!
//! - **API**: Shotgun "Smartboard" API (documentation private, given to organisers on
//!   request), base URL `https://smartboard-api.shotgun.live/api/shotgun` (staging:
//!   `https://smartboard-api-staging.shotgun.live/api/shotgun`); `base_url` overrides it.
//! - **Auth**: the organiser id and an API token from Smartboard → Paramètres → Intégrations
//!   → "Shotgun APIs" (`PREFIX_ORGANIZER_ID`, `PREFIX_TOKEN`), sent as query parameters
//!   `organizer_id=…` and `key=…` — or `token=…` for tokens issued before 1 July 2025, decided
//!   from the JWT's `iat` ([`auth`]). Both are scrubbed from every stored or logged URL.
//! - **Calls** (all GET):
//!   1. `/tickets/sold?after=<since>&before=<now>&cursor=…` (ISO-8601 UTC, milliseconds):
//!      the tickets sold or updated in the window, hence the events that changed;
//!   2. `/organizers/{id}/events?page=0…&limit=50`, future events first then
//!      `past_events=true`, stopping as soon as every changed event was seen;
//!   3. per changed event, `/tickets/sold?event_id=<id>&cursor=…`: all its tickets, so a late
//!      refund replaces the ticket it refunds.
//! - **Paging**: `/tickets/sold` uses a keyset cursor with a fixed page size of 50:
//!   `cursor=true` for the first page, then `cursor=<ticket_id of the last row>` while
//!   `pagination.next` is not null (we build the next request ourselves rather than follow
//!   `next`, which points at the production host and omits the token). The event list pages
//!   are **0-based** (`page=0`). A cursor that stops moving ends the listing; more than
//!   [`client::MAX_PAGES`] pages fails the sync instead of looping.
//! - **Limits**: none documented; the pilot paused 50 ms between pages, we pace at 20 calls
//!   per second. 429 and 5xx are retried by the shared HTTP layer.
//! - **Quirks**:
//!   - one Shotgun event is one show with one date (external id = event id);
//!   - `ticket_price` is in euros as a JSON float, VAT included and **already net** of
//!     Shotgun's and the buyer's fees (`service_fee`, `user_service_fee` are not added);
//!     floats are read exactly from the body text ([`crate::exact_number`]), then rounded to
//!     the cent;
//!   - `vat_rate` is a fraction (`0.055` → 5.5 %); a free ticket (price 0) gets rate 0;
//!   - `ticket_status`: only `valid` counts; `refunded` → refunded; `canceled`, `resold`
//!     (replaced by another ticket), `rejected`, `pending_organizer_approval`,
//!     `payment_plan_pending` → cancelled; anything else is quarantined;
//!   - times are ISO-8601 with `Z`; one without offset is read in the event's `timezone`;
//!   - the event payload has no venue and no gauge (`leftTicketsCount` may be −1): venue
//!     "Lieu non précisé (Shotgun)" and no capacity — the programme supplies them;
//!   - `cancelledAt` set → the performance is cancelled.

mod auth;
mod client;
pub mod model;
pub mod normalise;
#[cfg(test)]
pub(crate) mod tests;

pub use auth::token_param;

use crate::api::{ApiCollector, ApiContext, ApiError, RawExchange};
use crate::http::{HttpClient, HttpConfig, RateLimit};
use crate::{Record, SourceKind};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://smartboard-api.shotgun.live/api/shotgun";
pub const VENDOR: &str = "shotgun";
pub const RATE_LIMIT: RateLimit = RateLimit::new(20, Duration::from_secs(1));

pub struct Shotgun {
    ctx: ApiContext,
    http: HttpClient,
}

impl Shotgun {
    pub fn new(ctx: ApiContext) -> Shotgun {
        let http = HttpClient::new(
            VENDOR,
            HttpConfig::with_rate_limit(RATE_LIMIT),
            ctx.sleeper.clone(),
        );
        Shotgun { ctx, http }
    }
}

impl ApiCollector for Shotgun {
    fn kind(&self) -> SourceKind {
        SourceKind::Shotgun
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
