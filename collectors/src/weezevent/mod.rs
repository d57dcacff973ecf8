//! Weezevent collector (classic public API).
//!
//! - **API**: <https://api.weezevent.com/> (reference; help article "How to use Weezevent's
//!   API"), base URL `https://api.weezevent.com`; `base_url` overrides it.
//! - **Auth**: an API key (back office → Outils → Clé API, `PREFIX_API_KEY`) and the login
//!   of a Weezevent account (`PREFIX_USERNAME`, `PREFIX_PASSWORD`).
//!   `POST /auth/access_token` with the form fields `username`, `password`, `api_key` answers
//!   `{"accessToken": …}`; every other call carries `api_key=…&access_token=…` in the query.
//!   The token is taken once per sync and never stored; both values are scrubbed from every
//!   stored or logged URL.
//! - **Calls** (GET):
//!   1. `/events?include_closed=true&include_not_published=true` — every event with sales;
//!   2. `/participant/list?id_event[]=…&last_update=<since, Paris local>&include_deleted=true`
//!      (50 event ids per call) — the participants created or changed since the cursor,
//!      hence the events that changed;
//!   3. per changed event: `/event/{id}/details` (title, venue), `/dates?id_event={id}`
//!      (multi-date events only), `/tickets?id_event[]={id}` (price categories, nested in
//!      categories) and `/participant/list?id_event[]={id}&include_deleted=true`, all pages:
//!      the event re-read in full, so a late refund replaces its ticket.
//! - **Paging**: participants only, `page` (from 1) and `max` (500 per page); a page shorter
//!   than `max` is the last; [`client::MAX_PAGES`] pages at most.
//! - **Limits** (fair use): more than 600 calls a minute bans the key for 30 minutes (429),
//!   more than 10 auth calls a minute for 1 minute, 5 wrong logins for 30 minutes. We pace at
//!   8 calls per second (480 a minute), ask for one token per sync, and never retry a 401.
//! - **Quirks**:
//!   - times are Paris local `YYYY-MM-DD HH:MM:SS`; `0000-00-00 00:00:00` and `""` mean none;
//!   - a single-date event has `multiple_dates = 0` and participants with `id_date = 0`: one
//!     performance `{event}`; otherwise one per date, `{event}-{date}`;
//!   - participants carry no price: the price is the price category's (`/tickets`), euros,
//!     read exactly; a promo-code discount is not visible in this API (the participant is
//!     priced at its category's price) — a known limit;
//!   - **no VAT in the API**: paid tickets get 5.5 % ([`normalise::ASSUMED_VAT_PERCENT`]),
//!     the rate of most live shows; free tickets 0. A venue selling at another rate must
//!     correct it in releve (overrides) — the README says so;
//!   - status: `refund = 1` → refunded; `deleted = 1` or `paid = 0` → cancelled;
//!   - ticket (price category) ids are integers, or strings for resellers' tickets;
//!   - no capacity in the API (a category's `quota` is not the gauge): the programme gives it.

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

pub const DEFAULT_BASE_URL: &str = "https://api.weezevent.com";
pub const VENDOR: &str = "weezevent";
pub const RATE_LIMIT: RateLimit = RateLimit::new(8, Duration::from_secs(1));

pub struct Weezevent {
    ctx: ApiContext,
    http: HttpClient,
}

impl Weezevent {
    pub fn new(ctx: ApiContext) -> Weezevent {
        let http = HttpClient::new(
            VENDOR,
            HttpConfig::with_rate_limit(RATE_LIMIT),
            ctx.sleeper.clone(),
        );
        Weezevent { ctx, http }
    }
}

impl ApiCollector for Weezevent {
    fn kind(&self) -> SourceKind {
        SourceKind::Weezevent
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
