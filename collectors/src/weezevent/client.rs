//! Weezevent calls (I/O only): a token, the events, the participants changed since the
//! cursor, then each changed event in full. Bodies are parsed here once so a malformed
//! answer stops the sync with an error naming the endpoint and the JSON path.

use super::model::{
    DatesReply, DetailsReply, EventSummary, EventsReply, Participant, ParticipantsReply,
    TicketsReply, TokenReply,
};
use super::VENDOR;
use crate::api::{json, ApiContext, ApiError, RawExchange};
use crate::http::HttpClient;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

pub(super) const TOKEN: &str = "/auth/access_token";
pub(super) const EVENTS: &str = "/events";
pub(super) const DATES: &str = "/dates";
pub(super) const TICKETS: &str = "/tickets";
pub(super) const PARTICIPANTS: &str = "/participant/list";

/// Participants per page (`max`).
pub const PAGE_SIZE: usize = 500;
/// Safety stop: 1 000 pages of 500 participants per listing.
pub const MAX_PAGES: usize = 1_000;
/// Event ids per `/participant/list` call of the change feed (keeps URLs short).
pub const EVENT_IDS_PER_CALL: usize = 50;

pub(super) fn details_endpoint(event: &str) -> String {
    format!("/event/{event}/details")
}

/// `last_update` is a Paris local time.
fn paris_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn build_error(e: reqwest::Error) -> ApiError {
    ApiError::Vendor {
        vendor: VENDOR.into(),
        message: format!("requête impossible à construire ({e})"),
        retryable: false,
    }
}

/// A session: the access token, obtained once per sync (the API asks for few auth calls).
pub(super) struct Session<'a> {
    ctx: &'a ApiContext,
    http: &'a HttpClient,
    access_token: String,
}

impl<'a> Session<'a> {
    /// `POST /auth/access_token` with the account's login and the API key. The answer
    /// carries a secret: it is not kept with the raw exchanges.
    pub(super) async fn open(
        ctx: &'a ApiContext,
        http: &'a HttpClient,
    ) -> Result<Session<'a>, ApiError> {
        let c = &ctx.credentials;
        let request = http
            .reqwest()
            .post(ctx.url(TOKEN)?)
            .form(&[
                ("username", c.expose("USERNAME")),
                ("password", c.expose("PASSWORD")),
                ("api_key", c.expose("API_KEY")),
            ])
            .build()
            .map_err(build_error)?;
        let reply = http.send(TOKEN, request).await?;
        let token: TokenReply = json::parse(VENDOR, TOKEN, &reply.body).map_err(|e| match e {
            // Never echo a body that may hold a token.
            ApiError::Malformed { path, .. } => ApiError::Malformed {
                vendor: VENDOR.into(),
                endpoint: TOKEN.into(),
                path,
                message: "jeton d'accès (accessToken) absent de la réponse".into(),
            },
            other => other,
        })?;
        Ok(Session {
            ctx,
            http,
            access_token: token.access_token,
        })
    }

    async fn get(
        &self,
        endpoint: &str,
        params: &[(&str, String)],
        fetched_at: DateTime<Utc>,
    ) -> Result<RawExchange, ApiError> {
        let mut url = self.ctx.url(endpoint)?;
        url.query_pairs_mut()
            .append_pair("api_key", self.ctx.credentials.expose("API_KEY"))
            .append_pair("access_token", &self.access_token)
            .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
        let request = self.http.reqwest().get(url).build().map_err(build_error)?;
        let reply = self.http.send(endpoint, request).await?;
        Ok(RawExchange::from_reply(VENDOR, endpoint, reply, fetched_at))
    }

    pub(super) async fn events(
        &self,
        now: DateTime<Utc>,
        out: &mut Vec<RawExchange>,
    ) -> Result<Vec<EventSummary>, ApiError> {
        // Past (closed) and unpublished events too; events without sales have no tickets.
        let raw = self
            .get(
                EVENTS,
                &[
                    ("include_closed", "true".into()),
                    ("include_not_published", "true".into()),
                ],
                now,
            )
            .await?;
        let reply: EventsReply = json::parse(VENDOR, EVENTS, &raw.body)?;
        out.push(raw);
        Ok(reply.events)
    }

    /// Every page of `/participant/list` for `filter` (`page` from 1, `max` = 500) until a
    /// short page. Returns the event ids seen.
    async fn participants(
        &self,
        filter: &[(&str, String)],
        now: DateTime<Utc>,
        out: &mut Vec<RawExchange>,
    ) -> Result<BTreeSet<String>, ApiError> {
        let mut events = BTreeSet::new();
        for page in 1..=MAX_PAGES {
            let mut params = filter.to_vec();
            params.push(("include_deleted", "true".into()));
            params.push(("max", PAGE_SIZE.to_string()));
            params.push(("page", page.to_string()));
            let raw = self.get(PARTICIPANTS, &params, now).await?;
            let reply: ParticipantsReply<Participant> =
                json::parse(VENDOR, PARTICIPANTS, &raw.body)?;
            out.push(raw);
            events.extend(
                reply
                    .participants
                    .iter()
                    .map(|p| p.id_event.as_str().to_string()),
            );
            if reply.participants.len() < PAGE_SIZE {
                return Ok(events);
            }
        }
        Err(ApiError::Vendor {
            vendor: VENDOR.into(),
            message: format!(
                "plus de {MAX_PAGES} pages sur {PARTICIPANTS} : la pagination ne progresse pas ; signalez-le à l'équipe releve"
            ),
            retryable: false,
        })
    }

    /// One event in full: details, dates (multi-date events), price categories, every
    /// participant (deleted ones included, so a refund replaces the ticket).
    async fn event_in_full(
        &self,
        event: &EventSummary,
        now: DateTime<Utc>,
        out: &mut Vec<RawExchange>,
    ) -> Result<(), ApiError> {
        let id = event.id.as_str();
        let endpoint = details_endpoint(id);
        let raw = self.get(&endpoint, &[], now).await?;
        json::parse::<DetailsReply>(VENDOR, &endpoint, &raw.body)?;
        out.push(raw);
        if event.is_multi_date() {
            let raw = self.get(DATES, &[("id_event", id.into())], now).await?;
            json::parse::<DatesReply>(VENDOR, DATES, &raw.body)?;
            out.push(raw);
        }
        let raw = self.get(TICKETS, &[("id_event[]", id.into())], now).await?;
        json::parse::<TicketsReply>(VENDOR, TICKETS, &raw.body)?;
        out.push(raw);
        self.participants(&[("id_event[]", id.into())], now, out)
            .await?;
        Ok(())
    }
}

pub(super) async fn check(ctx: &ApiContext, http: &HttpClient) -> Result<(), ApiError> {
    let session = Session::open(ctx, http).await?;
    session
        .events(ctx.sleeper.wall_clock(), &mut Vec::new())
        .await?;
    Ok(())
}

pub(super) async fn fetch(
    ctx: &ApiContext,
    http: &HttpClient,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<RawExchange>, ApiError> {
    let mut out = Vec::new();
    let session = Session::open(ctx, http).await?;
    let events = session.events(now, &mut out).await?;
    // 1. Participants created or updated since the cursor, over every event.
    let mut changed = BTreeSet::new();
    let ids: Vec<String> = events.iter().map(|e| e.id.as_str().to_string()).collect();
    for chunk in ids.chunks(EVENT_IDS_PER_CALL) {
        let mut filter: Vec<(&str, String)> =
            chunk.iter().map(|id| ("id_event[]", id.clone())).collect();
        filter.push(("last_update", paris_local(since)));
        changed.extend(session.participants(&filter, now, &mut out).await?);
    }
    tracing::info!(events = changed.len(), "weezevent events changed");
    // 2. Each changed event read again in full.
    for event in events.iter().filter(|e| changed.contains(e.id.as_str())) {
        session.event_in_full(event, now, &mut out).await?;
    }
    Ok(out)
}
