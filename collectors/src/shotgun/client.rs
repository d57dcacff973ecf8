//! Shotgun calls (I/O only): the change feed, the events touched, then each event's tickets
//! in full. Every body is parsed here once, so a malformed answer stops the sync with an
//! error naming the endpoint and the JSON path; the normaliser reads the kept bodies again.

use super::auth::token_param;
use super::model::{Event, EventsPage, SoldTicket, TicketsPage};
use super::VENDOR;
use crate::api::{json, ApiContext, ApiError, RawExchange};
use crate::http::HttpClient;
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::BTreeSet;

/// Our page size for the event list (the pilot's).
pub const EVENTS_PAGE_SIZE: usize = 50;
/// Safety stop: 2 000 pages of 50 = 100 000 tickets in one listing. Beyond that something is
/// wrong (a cursor that does not move); the sync fails instead of looping.
pub const MAX_PAGES: usize = 2_000;

pub(super) const TICKETS: &str = "/tickets/sold";

pub(super) fn events_endpoint(organizer_id: &str) -> String {
    format!("/organizers/{organizer_id}/events")
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn get(
    ctx: &ApiContext,
    http: &HttpClient,
    endpoint: &str,
    params: &[(&str, String)],
    fetched_at: DateTime<Utc>,
) -> Result<RawExchange, ApiError> {
    let organizer = ctx.credentials.expose("ORGANIZER_ID");
    let token = ctx.credentials.expose("TOKEN");
    let mut url = ctx.url(endpoint)?;
    url.query_pairs_mut()
        .append_pair("organizer_id", organizer)
        .append_pair(token_param(token), token)
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
    let request = http
        .reqwest()
        .get(url)
        .build()
        .map_err(|e| ApiError::Vendor {
            vendor: VENDOR.into(),
            message: format!("requête impossible à construire ({e})"),
            retryable: false,
        })?;
    let reply = http.send(endpoint, request).await?;
    Ok(RawExchange::from_reply(VENDOR, endpoint, reply, fetched_at))
}

pub(super) async fn check(ctx: &ApiContext, http: &HttpClient) -> Result<(), ApiError> {
    let endpoint = events_endpoint(ctx.credentials.expose("ORGANIZER_ID"));
    let raw = get(
        ctx,
        http,
        &endpoint,
        &[("page", "0".into()), ("limit", "1".into())],
        ctx.sleeper.wall_clock(),
    )
    .await?;
    json::parse::<EventsPage<Event>>(VENDOR, &endpoint, &raw.body)?;
    Ok(())
}

/// Every page of `/tickets/sold` for `filter`, following the keyset cursor: `cursor=true`
/// for the first page, then `cursor=<ticket_id of the last row>` while `pagination.next` is
/// set. Returns the ids of the events seen.
async fn tickets_pages(
    ctx: &ApiContext,
    http: &HttpClient,
    filter: &[(&str, String)],
    now: DateTime<Utc>,
    out: &mut Vec<RawExchange>,
) -> Result<BTreeSet<String>, ApiError> {
    let mut events = BTreeSet::new();
    let mut cursor = "true".to_string();
    for _ in 0..MAX_PAGES {
        let mut params = filter.to_vec();
        params.push(("cursor", cursor.clone()));
        let raw = get(ctx, http, TICKETS, &params, now).await?;
        let page: TicketsPage<SoldTicket> = json::parse(VENDOR, TICKETS, &raw.body)?;
        out.push(raw);
        events.extend(page.data.iter().map(|t| t.event_id.as_str().to_string()));
        let next = page
            .pagination
            .and_then(|p| p.next)
            .filter(|n| !n.is_empty());
        let last = page.data.last().map(|t| t.ticket_id.as_str().to_string());
        match (next, last) {
            (Some(_), Some(last)) if last != cursor => cursor = last,
            _ => return Ok(events),
        }
    }
    Err(ApiError::Vendor {
        vendor: VENDOR.into(),
        message: format!(
            "plus de {MAX_PAGES} pages sur {TICKETS} : la pagination ne progresse pas ; signalez-le à l'équipe releve"
        ),
        retryable: false,
    })
}

/// The event list, future events first then past ones, until every wanted id was seen.
async fn events_pages(
    ctx: &ApiContext,
    http: &HttpClient,
    wanted: &BTreeSet<String>,
    now: DateTime<Utc>,
    out: &mut Vec<RawExchange>,
) -> Result<(), ApiError> {
    let endpoint = events_endpoint(ctx.credentials.expose("ORGANIZER_ID"));
    let mut seen = BTreeSet::new();
    // `past_events=false` behaves like `true`: future events are asked by omitting it.
    for past in [false, true] {
        for page in 0..MAX_PAGES {
            let mut params = vec![
                ("page", page.to_string()),
                ("limit", EVENTS_PAGE_SIZE.to_string()),
            ];
            if past {
                params.push(("past_events", "true".into()));
            }
            let raw = get(ctx, http, &endpoint, &params, now).await?;
            let body: EventsPage<Event> = json::parse(VENDOR, &endpoint, &raw.body)?;
            out.push(raw);
            seen.extend(body.data.iter().map(|e| e.id.as_str().to_string()));
            if wanted.is_subset(&seen) {
                return Ok(());
            }
            if body.data.len() < EVENTS_PAGE_SIZE {
                break;
            }
        }
    }
    // Events not listed keep the name and start time their tickets carry (see normalise).
    tracing::warn!(
        missing = wanted.difference(&seen).count(),
        "shotgun events not found in the event list"
    );
    Ok(())
}

pub(super) async fn fetch(
    ctx: &ApiContext,
    http: &HttpClient,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<RawExchange>, ApiError> {
    let mut out = Vec::new();
    // 1. What changed: tickets bought or updated in [since, now].
    let changed = tickets_pages(
        ctx,
        http,
        &[("after", iso(since)), ("before", iso(now))],
        now,
        &mut out,
    )
    .await?;
    tracing::info!(events = changed.len(), "shotgun events changed");
    if changed.is_empty() {
        return Ok(out);
    }
    // 2. Their descriptions.
    events_pages(ctx, http, &changed, now, &mut out).await?;
    // 3. Each changed event read again in full, so a late refund replaces its ticket.
    for id in &changed {
        tickets_pages(ctx, http, &[("event_id", id.clone())], now, &mut out).await?;
    }
    Ok(out)
}
