//! Billetweb collector.
//!
//! - **API**: <https://www.billetweb.fr/bo/api.php>, base URL `https://www.billetweb.fr/api`.
//! - **Auth**: an API key pair created by the organiser in the back office ("API" page, read
//!   only, all events selected), sent as query parameters `user=…&key=…&version=1`
//!   (`BILLETWEB_USER`, `BILLETWEB_KEY`; scrubbed from every stored or logged URL).
//! - **Calls** (all GET, full JSON arrays, **no paging**):
//!   1. `/attendees?last_update=<since, unix s>&to=<now, unix s>` → the events that changed;
//!   2. `/events?past=1` → every event (there is no per-id endpoint);
//!   3. per changed event, sequentially: `/event/{id}/dates?past=1` (only for multi-date
//!      events), `/event/{id}/tickets` (tariffs), `/event/{id}/attendees` (all attendees,
//!      no filter: the event is re-read fully so a late refund replaces its ticket).
//! - **Limits**: a global limiter of 100 hits per minute, enforced by a firewall; like the
//!   pilot, we stay at 90 calls per 80 s because 100/min still tripped it. When exceeded,
//!   Billetweb answers `{"error":"rate_limiting",…}` and Cloudflare may answer an HTML
//!   challenge page (`cdn-cgi/challenge-platform`), whatever the HTTP status: both are treated
//!   like a 429 (retried with backoff, then a clear, retryable error).
//! - **Quirks**:
//!   - an event with `multiple = "0"` has no session rows; its attendees carry
//!     `order_session = "0"`: we make one performance `{event}-0` from the event's `start`;
//!   - times are naive Paris local times (`"2026-03-14 20:30:00"`); `0000-00-00 00:00:00`
//!     means none (the performance is quarantined);
//!   - `disabled = "1"` is a refunded ticket; `order_paid = "0"` on a priced ticket is an
//!     unpaid reservation (status cancelled: it does not count);
//!   - Billetweb's commission (tariff `commission`, a number or `false`) is deducted from the
//!     price only for `order_payment_type = "web"` (the fee is not taken on cash, cheque,
//!     card on site, invitations or custom numeric payment codes); floored at zero;
//!   - VAT: the tariff's `tax` (percent) overrides the event's `tax_rate` when non-empty;
//!   - a key restricted to some events answers `{"error":"unauthorized",…}`: reported as
//!     such (the key must cover all events);
//!   - subscriptions and passes are sold as ordinary events; an attendee with `pass ≠ 0` is
//!     counted as a subscription ticket.

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

pub const DEFAULT_BASE_URL: &str = "https://www.billetweb.fr/api";
pub const VENDOR: &str = "billetweb";
pub const RATE_LIMIT: RateLimit = RateLimit::new(90, Duration::from_secs(80));

pub struct Billetweb {
    ctx: ApiContext,
    http: HttpClient,
}

impl Billetweb {
    pub fn new(ctx: ApiContext) -> Billetweb {
        let http = HttpClient::new(
            VENDOR,
            HttpConfig::with_rate_limit(RATE_LIMIT),
            ctx.sleeper.clone(),
        )
        .with_throttle_check(client::throttled);
        Billetweb { ctx, http }
    }
}

impl ApiCollector for Billetweb {
    fn kind(&self) -> SourceKind {
        SourceKind::Billetweb
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
