//! HelloAsso collector (API v5).
//!
//! - **API**: <https://dev.helloasso.com/>, base URL `https://api.helloasso.com` (sandbox
//!   `https://api.helloasso-sandbox.com`); business calls under `/v5`, token at `/oauth2/token`.
//! - **Auth**: OAuth2 client credentials (`HELLOASSO_CLIENT_ID`, `HELLOASSO_CLIENT_SECRET`,
//!   created by the association in "Mon compte > Intégrations et API"): `POST /oauth2/token`
//!   (form body) gives a bearer JWT valid 30 min and a refresh token. We refresh with
//!   `grant_type=refresh_token` a minute before expiry, and once when a call answers 401
//!   (falling back to client credentials when the refresh is refused). Tokens are never stored
//!   nor logged; the token call is not kept as a raw exchange.
//! - **Calls**: `/v5/users/me/organizations` (the key must give exactly one organisation) →
//!   `/v5/organizations/{org}/orders?formTypes=Event&from=…&to=…` (forms with new orders) and
//!   `/v5/organizations/{org}/forms?formTypes=Event` (forms whose date is at most 31 days
//!   before the cursor or later: a refund creates no order, so recent and upcoming events are
//!   re-read every sync to catch it); then per form, `/forms/Event/{slug}/public` (date, place,
//!   tiers with VAT) and `/forms/Event/{slug}/items?tierTypes=Registration` (one row per
//!   ticket, every state, so refunds are seen).
//! - **Paging**: `pageSize=100` and `continuationToken`; there is no end marker: we stop when
//!   a page is empty, the token is absent or repeats, or `pageIndex ≥ totalPages` (asking past
//!   the last page answers HTTP 500).
//! - **Limits**: not published; the pilot found 10 calls per 10 s safe (with stricter hourly
//!   quotas observed); we pace at 10 per 10 s and rely on 429 handling beyond.
//! - **Quirks**: one form of type `Event` is one performance (no sessions); amounts are
//!   integer **cents**; tier `vatRate` arrives as a percent (`5.5`) though the OpenAPI says a
//!   fraction (`0.055`): both are accepted; forms without `startDate` or not in EUR are not
//!   performances (quarantined with a reason); an item whose tier is missing from the public
//!   form has no known VAT rate (quarantined unless free). Item states `Processed` and
//!   `Registered` are valid tickets, `Refunded` refunded, every other state cancelled.

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

pub const DEFAULT_BASE_URL: &str = "https://api.helloasso.com";
pub const VENDOR: &str = "helloasso";
pub const RATE_LIMIT: RateLimit = RateLimit::new(10, Duration::from_secs(10));

pub struct Helloasso {
    ctx: ApiContext,
    http: HttpClient,
    token: client::TokenCache,
}

impl Helloasso {
    pub fn new(ctx: ApiContext) -> Helloasso {
        let http = HttpClient::new(
            VENDOR,
            HttpConfig::with_rate_limit(RATE_LIMIT),
            ctx.sleeper.clone(),
        );
        Helloasso {
            ctx,
            http,
            token: client::TokenCache::default(),
        }
    }

    fn api(&self) -> client::Api<'_> {
        client::Api {
            ctx: &self.ctx,
            http: &self.http,
            token: &self.token,
        }
    }
}

impl ApiCollector for Helloasso {
    fn kind(&self) -> SourceKind {
        SourceKind::Helloasso
    }

    async fn check(&self) -> Result<(), ApiError> {
        self.api()
            .organisation(self.ctx.sleeper.wall_clock())
            .await
            .map(|_| ())
    }

    async fn fetch(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError> {
        self.api().fetch(since, now).await
    }

    fn normalise(&self, raw: &[RawExchange]) -> Vec<Record> {
        normalise::normalise(&self.ctx.source_key, raw)
    }
}
