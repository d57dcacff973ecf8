//! Billetweb calls (I/O only): which events changed, then each changed event in full.

use super::model::{Attendee, ErrorBody, Event};
use super::VENDOR;
use crate::api::{json, ApiContext, ApiError, RawExchange};
use crate::http::HttpClient;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Billetweb's firewall answers in the body, whatever the status.
pub(super) fn throttled(_status: u16, body: &str) -> Option<&'static str> {
    if body.contains("cdn-cgi/challenge-platform") {
        Some("page de vérification Cloudflare")
    } else if body.contains("\"rate_limiting\"") {
        Some("limite de 100 appels par minute dépassée")
    } else {
        None
    }
}

async fn get(
    ctx: &ApiContext,
    http: &HttpClient,
    endpoint: &str,
    params: &[(&str, String)],
    fetched_at: DateTime<Utc>,
) -> Result<RawExchange, ApiError> {
    let mut url = ctx.url(endpoint)?;
    url.query_pairs_mut()
        .append_pair("user", ctx.credentials.expose("USER"))
        .append_pair("key", ctx.credentials.expose("KEY"))
        .append_pair("version", "1")
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
    refuse_error_body(endpoint, &reply.body)?;
    Ok(RawExchange::from_reply(VENDOR, endpoint, reply, fetched_at))
}

/// Billetweb reports errors as a JSON object where an array is expected.
fn refuse_error_body(endpoint: &str, body: &str) -> Result<(), ApiError> {
    if !body.trim_start().starts_with('{') {
        return Ok(());
    }
    let Ok(e) = serde_json::from_str::<ErrorBody>(body) else {
        return Ok(());
    };
    let message = if e.error == "unauthorized" {
        format!(
            "la clé d'API n'a pas accès à {endpoint} ({}) ; créez une clé en lecture seule couvrant tous les événements",
            e.description
        )
    } else {
        format!("erreur « {} » sur {endpoint} : {}", e.error, e.description)
    };
    Err(ApiError::Vendor {
        vendor: VENDOR.into(),
        message,
        retryable: false,
    })
}

pub(super) async fn check(ctx: &ApiContext, http: &HttpClient) -> Result<(), ApiError> {
    let raw = get(
        ctx,
        http,
        "/events",
        &[("past", "0".into())],
        ctx.sleeper.wall_clock(),
    )
    .await?;
    json::parse::<Vec<Event>>(VENDOR, "/events", &raw.body)?;
    Ok(())
}

pub(super) async fn fetch(
    ctx: &ApiContext,
    http: &HttpClient,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<RawExchange>, ApiError> {
    let mut out = Vec::new();
    let changed = get(
        ctx,
        http,
        "/attendees",
        &[
            ("last_update", since.timestamp().to_string()),
            ("to", now.timestamp().to_string()),
        ],
        now,
    )
    .await?;
    let rows: Vec<Attendee> = json::parse(VENDOR, "/attendees", &changed.body)?;
    let changed_ids: BTreeSet<String> = rows
        .iter()
        .map(|a| a.event.as_str().to_string())
        .filter(|id| !id.is_empty())
        .collect();
    out.push(changed);
    tracing::info!(events = changed_ids.len(), "billetweb events changed");
    if changed_ids.is_empty() {
        return Ok(out);
    }
    let events_raw = get(ctx, http, "/events", &[("past", "1".into())], now).await?;
    let events: Vec<Event> = json::parse(VENDOR, "/events", &events_raw.body)?;
    out.push(events_raw);
    for event in events
        .iter()
        .filter(|e| changed_ids.contains(e.id.as_str()))
    {
        let id = event.id.as_str();
        if event.is_multi_date() {
            let endpoint = format!("/event/{id}/dates");
            let raw = get(ctx, http, &endpoint, &[("past", "1".into())], now).await?;
            json::parse::<Vec<super::model::Session>>(VENDOR, &endpoint, &raw.body)?;
            out.push(raw);
        }
        let endpoint = format!("/event/{id}/tickets");
        let raw = get(ctx, http, &endpoint, &[], now).await?;
        json::parse::<Vec<super::model::Tariff>>(VENDOR, &endpoint, &raw.body)?;
        out.push(raw);
        let endpoint = format!("/event/{id}/attendees");
        let raw = get(ctx, http, &endpoint, &[], now).await?;
        json::parse::<Vec<Attendee>>(VENDOR, &endpoint, &raw.body)?;
        out.push(raw);
    }
    Ok(out)
}
