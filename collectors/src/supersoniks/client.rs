//! Supersoniks / SoTicket calls (I/O only): one call for every statement of the window.

use super::model::{Envelope, Statement};
use crate::api::{json, ApiContext, ApiError, RawExchange};
use crate::http::HttpClient;
use chrono::{DateTime, Months, Utc};

pub(super) const STATEMENTS: &str = "/statement/closing";

/// The statements are filtered by **session date**, not by sale: every sync reads the
/// sessions of the last 13 months and of the next 12.
pub const PAST_MONTHS: u32 = 13;
pub const FUTURE_MONTHS: u32 = 12;

/// The API lives under `/api/v2` of the customer's ticketing domain; a `base_url` given as
/// the bare domain (`https://billetterie.example.fr`) gets that prefix.
fn api_root(base_url: &str) -> String {
    match reqwest::Url::parse(base_url) {
        Ok(u) if u.path().trim_matches('/').is_empty() => {
            format!("{}/api/v2", base_url.trim_end_matches('/'))
        }
        _ => base_url.trim_end_matches('/').to_string(),
    }
}

pub(super) fn window(since: DateTime<Utc>, now: DateTime<Utc>) -> (i64, i64) {
    let past = now
        .checked_sub_months(Months::new(PAST_MONTHS))
        .unwrap_or(now);
    let future = now
        .checked_add_months(Months::new(FUTURE_MONTHS))
        .unwrap_or(now);
    (since.min(past).timestamp(), future.timestamp())
}

async fn get(
    ctx: &ApiContext,
    http: &HttpClient,
    vendor: &'static str,
    params: &[(&str, String)],
    fetched_at: DateTime<Utc>,
) -> Result<RawExchange, ApiError> {
    let text = format!("{}{STATEMENTS}", api_root(&ctx.base_url));
    let mut url = reqwest::Url::parse(&text).map_err(|e| ApiError::BaseUrl {
        source_key: ctx.source_key.clone(),
        url: ctx.base_url.clone(),
        reason: e.to_string(),
    })?;
    url.query_pairs_mut()
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
    let request = http
        .reqwest()
        .get(url)
        .bearer_auth(ctx.credentials.expose("TOKEN"))
        .build()
        .map_err(|e| ApiError::Vendor {
            vendor: vendor.into(),
            message: format!("requête impossible à construire ({e})"),
            retryable: false,
        })?;
    let reply = http.send(STATEMENTS, request).await?;
    let raw = RawExchange::from_reply(vendor, STATEMENTS, reply, fetched_at);
    let envelope: Envelope<Statement> = json::parse(vendor, STATEMENTS, &raw.body)?;
    if !envelope.success {
        let said: Vec<String> = envelope
            .messages
            .iter()
            .filter(|m| m.kind != "debug" && !m.content.trim().is_empty())
            .map(|m| m.content.trim().to_string())
            .collect();
        return Err(ApiError::Vendor {
            vendor: vendor.into(),
            message: format!(
                "la billetterie refuse la demande sur {STATEMENTS} : {}",
                if said.is_empty() {
                    "sans explication".to_string()
                } else {
                    said.join(" ; ")
                }
            ),
            retryable: false,
        });
    }
    Ok(raw)
}

fn params(from: i64, to: i64) -> Vec<(&'static str, String)> {
    vec![
        ("from", from.to_string()),
        ("to", to.to_string()),
        // Include the statements of sessions not closed yet.
        ("bypass_closed", "true".into()),
    ]
}

pub(super) async fn check(
    ctx: &ApiContext,
    http: &HttpClient,
    vendor: &'static str,
) -> Result<(), ApiError> {
    let now = ctx.sleeper.wall_clock();
    // A one-day window: cheap, and enough to prove the token and the firewall let us in.
    let from = now - chrono::Duration::days(1);
    get(
        ctx,
        http,
        vendor,
        &params(from.timestamp(), now.timestamp()),
        now,
    )
    .await?;
    Ok(())
}

pub(super) async fn fetch(
    ctx: &ApiContext,
    http: &HttpClient,
    vendor: &'static str,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<RawExchange>, ApiError> {
    let (from, to) = window(since, now);
    let raw = get(ctx, http, vendor, &params(from, to), now).await?;
    Ok(vec![raw])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn bare_domain_gets_the_api_prefix() {
        assert_eq!(
            api_root("https://billetterie.example.fr"),
            "https://billetterie.example.fr/api/v2"
        );
        assert_eq!(
            api_root("https://billetterie.example.fr/api/v2/"),
            "https://billetterie.example.fr/api/v2"
        );
    }

    #[test]
    fn window_is_thirteen_months_back_and_a_year_ahead_whatever_the_cursor() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 3, 0, 0).unwrap();
        let recent = Utc.with_ymd_and_hms(2026, 2, 1, 3, 0, 0).unwrap();
        // 2025-02-01T03:00Z = 1738378800; 2027-03-01T03:00Z = 1803870000.
        assert_eq!(window(recent, now), (1_738_378_800, 1_803_870_000));
        let older = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(window(older, now).0, older.timestamp());
    }
}
