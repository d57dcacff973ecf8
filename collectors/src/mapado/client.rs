//! Mapado calls (I/O only): changed tickets → event dates → ticketings → each dated
//! ticketing in full.

use super::model::{short_id, Collection, EventDate, Ticket, Ticketing};
use super::{ID_CHUNK, VENDOR};
use crate::api::{json, ApiContext, ApiError, RawExchange};
use crate::http::HttpClient;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;

const TICKETS_PER_PAGE: &str = "10000";
pub(super) const CHANGED_FIELDS: &str = "@id,eventDate,updatedAt";
pub(super) const TICKET_FIELDS: &str =
    "@id,status,facialValue,ticketPrice,eventDate,isValid,imported,boughtAt";
pub(super) const DATE_LOOKUP_FIELDS: &str = "@id,ticketing";
pub(super) const DATE_FIELDS: &str = "@id,ticketing,startDate,endDate,startOfEventDay,status,totalStock,ticketPriceList{@id,type,name,facialValue,valueIncvat,tax{rate,countryCode}}";
pub(super) const TICKETING_FIELDS: &str =
    "@id,type,title,currency,eventDateList,venue{name,address,zipCode,city,countryCode}";
const MAX_PAGES: u32 = 10_000;

async fn get(
    ctx: &ApiContext,
    http: &HttpClient,
    endpoint: &str,
    params: &[(&str, String)],
    fetched_at: DateTime<Utc>,
) -> Result<RawExchange, ApiError> {
    let mut url = ctx.url(endpoint)?;
    url.query_pairs_mut()
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
    let request = http
        .reqwest()
        .get(url)
        .bearer_auth(ctx.credentials.expose("TOKEN"))
        .header("Accept", "application/ld+json")
        .build()
        .map_err(|e| ApiError::Vendor {
            vendor: VENDOR.into(),
            message: format!("requête impossible à construire ({e})"),
            retryable: false,
        })?;
    let reply = http.send(endpoint, request).await?;
    Ok(RawExchange::from_reply(VENDOR, endpoint, reply, fetched_at))
}

/// Every Hydra page of a collection (`page` = 1, 2, … while a next page is announced).
async fn pages<T: DeserializeOwned>(
    ctx: &ApiContext,
    http: &HttpClient,
    endpoint: &str,
    params: &[(&str, String)],
    now: DateTime<Utc>,
    out: &mut Vec<RawExchange>,
) -> Result<Vec<T>, ApiError> {
    let mut rows = Vec::new();
    for page in 1..=MAX_PAGES {
        let mut p = params.to_vec();
        p.push(("page", page.to_string()));
        let raw = get(ctx, http, endpoint, &p, now).await?;
        let c: Collection<T> = json::parse(VENDOR, endpoint, &raw.body)?;
        out.push(raw);
        let more = c.has_next() && !c.member.is_empty();
        rows.extend(c.member);
        if !more {
            break;
        }
    }
    Ok(rows)
}

/// A collection filtered on `@id`, the short ids sent [`ID_CHUNK`] at a time.
async fn by_ids<T: DeserializeOwned>(
    ctx: &ApiContext,
    http: &HttpClient,
    endpoint: &str,
    ids: &[String],
    fields: &str,
    now: DateTime<Utc>,
    out: &mut Vec<RawExchange>,
) -> Result<Vec<T>, ApiError> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(ID_CHUNK) {
        let params = [
            ("@id", chunk.join(",")),
            ("itemsPerPage", ID_CHUNK.to_string()),
            ("fields", fields.to_string()),
        ];
        rows.extend(pages(ctx, http, endpoint, &params, now, out).await?);
    }
    Ok(rows)
}

pub(super) async fn check(ctx: &ApiContext, http: &HttpClient) -> Result<(), ApiError> {
    let endpoint = "/v1/ticketings";
    let raw = get(
        ctx,
        http,
        endpoint,
        &[
            ("user", "me".into()),
            ("itemsPerPage", "1".into()),
            ("fields", "@id".into()),
        ],
        ctx.sleeper.wall_clock(),
    )
    .await?;
    json::parse::<Collection<serde_json::Value>>(VENDOR, endpoint, &raw.body)?;
    Ok(())
}

pub(super) async fn fetch(
    ctx: &ApiContext,
    http: &HttpClient,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<RawExchange>, ApiError> {
    let mut out = Vec::new();
    let changed: Vec<Ticket> = pages(
        ctx,
        http,
        "/v1/tickets",
        &[
            ("user", "me".into()),
            (
                "updatedSince",
                since.to_rfc3339_opts(SecondsFormat::Secs, false),
            ),
            ("itemsPerPage", TICKETS_PER_PAGE.into()),
            ("fields", CHANGED_FIELDS.into()),
        ],
        now,
        &mut out,
    )
    .await?;
    let date_ids: Vec<String> = changed
        .iter()
        .filter_map(|t| t.event_date.as_deref())
        .map(|iri| short_id(iri).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    tracing::info!(event_dates = date_ids.len(), "mapado event dates changed");
    if date_ids.is_empty() {
        return Ok(out);
    }
    let dates: Vec<EventDate> = by_ids(
        ctx,
        http,
        "/v1/event_dates",
        &date_ids,
        DATE_LOOKUP_FIELDS,
        now,
        &mut out,
    )
    .await?;
    let ticketing_ids: Vec<String> = dates
        .iter()
        .filter_map(|d| d.ticketing.as_deref())
        .map(|iri| short_id(iri).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let ticketings: Vec<Ticketing> = by_ids(
        ctx,
        http,
        "/v1/ticketings",
        &ticketing_ids,
        TICKETING_FIELDS,
        now,
        &mut out,
    )
    .await?;
    for t in ticketings.iter().filter(|t| t.is_french_dated_event()) {
        let ids: Vec<String> = t
            .event_date_list
            .iter()
            .map(|iri| short_id(iri).to_string())
            .collect();
        by_ids::<EventDate>(
            ctx,
            http,
            "/v1/event_dates",
            &ids,
            DATE_FIELDS,
            now,
            &mut out,
        )
        .await?;
        pages::<Ticket>(
            ctx,
            http,
            "/v1/tickets",
            &[
                ("user", "me".into()),
                ("ticketing", t.iri.clone()),
                ("itemsPerPage", TICKETS_PER_PAGE.into()),
                ("fields", TICKET_FIELDS.into()),
            ],
            now,
            &mut out,
        )
        .await?;
    }
    Ok(out)
}
