//! HelloAsso calls (I/O only): OAuth2 token, organisation, changed forms, each form in full.

use super::model::{FormLight, Order, Organisation, Page, TokenResponse};
use super::VENDOR;
use crate::api::{json, ApiContext, ApiError, RawExchange};
use crate::http::{HttpClient, HttpError};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Re-read forms whose date is this close before the cursor: refunds come after the sale,
/// usually around the performance, and create no order.
const REFUND_WINDOW_DAYS: i64 = 31;
/// Refresh the token this long before it expires.
const TOKEN_MARGIN_SECS: i64 = 60;
const PAGE_SIZE: &str = "100";
/// A guard against a vendor looping forever on tokens.
const MAX_PAGES: usize = 10_000;

struct Token {
    access: SecretString,
    refresh: Option<SecretString>,
    expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub(super) struct TokenCache(Mutex<Option<Token>>);

pub(super) struct Api<'a> {
    pub ctx: &'a ApiContext,
    pub http: &'a HttpClient,
    pub token: &'a TokenCache,
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Api<'_> {
    /// A valid access token: cached, refreshed, or obtained with the client credentials.
    async fn access_token(&self) -> Result<String, ApiError> {
        let now = self.http.sleeper().wall_clock();
        let (fresh, refresh) = {
            let guard = self.token.0.lock().expect("token lock");
            match guard.as_ref() {
                Some(t) if now < t.expires_at - Duration::seconds(TOKEN_MARGIN_SECS) => {
                    (Some(t.access.expose_secret().to_string()), None)
                }
                Some(t) => (
                    None,
                    t.refresh.as_ref().map(|r| r.expose_secret().to_string()),
                ),
                None => (None, None),
            }
        };
        if let Some(access) = fresh {
            return Ok(access);
        }
        let client_id = self.ctx.credentials.expose("CLIENT_ID").to_string();
        let token = match refresh {
            Some(r) => {
                let refreshed = self
                    .grant(&[
                        ("grant_type", "refresh_token".into()),
                        ("client_id", client_id.clone()),
                        ("refresh_token", r),
                    ])
                    .await;
                match refreshed {
                    Ok(t) => t,
                    // A refused refresh token: start again from the client credentials.
                    Err(_) => self.client_credentials(client_id).await?,
                }
            }
            None => self.client_credentials(client_id).await?,
        };
        let access = token.access.expose_secret().to_string();
        *self.token.0.lock().expect("token lock") = Some(token);
        Ok(access)
    }

    async fn client_credentials(&self, client_id: String) -> Result<Token, ApiError> {
        self.grant(&[
            ("grant_type", "client_credentials".into()),
            ("client_id", client_id),
            (
                "client_secret",
                self.ctx.credentials.expose("CLIENT_SECRET").to_string(),
            ),
        ])
        .await
    }

    async fn grant(&self, form: &[(&str, String)]) -> Result<Token, ApiError> {
        let endpoint = "/oauth2/token";
        let request = self
            .http
            .reqwest()
            .post(self.ctx.url(endpoint)?)
            .form(form)
            .build()
            .map_err(build_error)?;
        let reply = self
            .http
            .send(endpoint, request)
            .await
            .map_err(|e| match e {
                // The token endpoint answers 400 to bad client credentials.
                HttpError::Status { status, .. } if status == 400 => HttpError::Unauthorized {
                    vendor: VENDOR.into(),
                    endpoint: endpoint.into(),
                    status,
                },
                other => other,
            })?;
        // Parsed without path reporting: the body holds secrets and must not be echoed.
        let body: TokenResponse =
            serde_json::from_str(&reply.body).map_err(|_| ApiError::Malformed {
                vendor: VENDOR.into(),
                endpoint: endpoint.into(),
                path: "access_token".into(),
                message: "jeton absent de la réponse".into(),
            })?;
        let now = self.http.sleeper().wall_clock();
        Ok(Token {
            access: SecretString::from(body.access_token),
            refresh: body.refresh_token.map(SecretString::from),
            expires_at: now + Duration::seconds(body.expires_in.unwrap_or(1800)),
        })
    }

    fn invalidate(&self) {
        if let Some(t) = self.token.0.lock().expect("token lock").as_mut() {
            t.expires_at = DateTime::<Utc>::UNIX_EPOCH;
        }
    }

    /// One authenticated GET; a 401 refreshes the token once and tries again.
    async fn get(
        &self,
        endpoint: &str,
        params: &[(&str, String)],
        fetched_at: DateTime<Utc>,
    ) -> Result<RawExchange, ApiError> {
        let mut retried = false;
        loop {
            let token = self.access_token().await?;
            let mut url = self.ctx.url(endpoint)?;
            if !params.is_empty() {
                url.query_pairs_mut()
                    .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
            }
            let request = self
                .http
                .reqwest()
                .get(url)
                .bearer_auth(token)
                .build()
                .map_err(build_error)?;
            match self.http.send(endpoint, request).await {
                Ok(reply) => {
                    return Ok(RawExchange::from_reply(VENDOR, endpoint, reply, fetched_at))
                }
                Err(HttpError::Unauthorized { status: 401, .. }) if !retried => {
                    tracing::info!("helloasso token refused, refreshing");
                    retried = true;
                    self.invalidate();
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Every page of a continuation-token listing.
    async fn pages<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        params: &[(&str, String)],
        now: DateTime<Utc>,
        out: &mut Vec<RawExchange>,
    ) -> Result<Vec<T>, ApiError> {
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = BTreeSet::new();
        for _ in 0..MAX_PAGES {
            let mut p: Vec<(&str, String)> = params.to_vec();
            p.push(("pageSize", PAGE_SIZE.into()));
            if let Some(t) = &token {
                p.push(("continuationToken", t.clone()));
            }
            let raw = self.get(endpoint, &p, now).await?;
            let page: Page<T> = json::parse(VENDOR, endpoint, &raw.body)?;
            out.push(raw);
            let empty = page.data.is_empty();
            rows.extend(page.data);
            let pg = page.pagination;
            // Some listings report `-1` counts: only a positive total ends the loop.
            let last =
                matches!((pg.page_index, pg.total_pages), (Some(i), Some(n)) if n > 0 && i >= n);
            let next = pg.continuation_token.filter(|t| !t.is_empty());
            match next {
                Some(n) if !empty && !last && seen.insert(n.clone()) => token = Some(n),
                _ => break,
            }
        }
        Ok(rows)
    }

    /// The one organisation the key gives access to.
    pub async fn organisation(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(String, RawExchange), ApiError> {
        let endpoint = "/v5/users/me/organizations";
        let raw = self.get(endpoint, &[], now).await?;
        let orgs: Vec<Organisation> = json::parse(VENDOR, endpoint, &raw.body)?;
        match orgs.as_slice() {
            [one] => Ok((one.organization_slug.clone(), raw)),
            _ => Err(ApiError::Vendor {
                vendor: VENDOR.into(),
                message: format!(
                    "la clé d'API donne accès à {} organisations ({}) ; créez une clé depuis le compte de la seule association à déclarer",
                    orgs.len(),
                    orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
                retryable: false,
            }),
        }
    }

    pub async fn fetch(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError> {
        let mut out = Vec::new();
        let (org, raw) = self.organisation(now).await?;
        out.push(raw);
        let orders: Vec<Order> = self
            .pages(
                &format!("/v5/organizations/{org}/orders"),
                &[
                    ("formTypes", "Event".into()),
                    ("from", iso(since)),
                    ("to", iso(now)),
                    ("withCount", "true".into()),
                    ("sortOrder", "Asc".into()),
                ],
                now,
                &mut out,
            )
            .await?;
        let mut slugs: BTreeSet<String> = orders
            .into_iter()
            .filter(|o| o.form_type.as_deref().unwrap_or("Event") == "Event")
            .filter_map(|o| o.form_slug)
            .collect();
        let forms: Vec<FormLight> = self
            .pages(
                &format!("/v5/organizations/{org}/forms"),
                &[("formTypes", "Event".into())],
                now,
                &mut out,
            )
            .await?;
        let window_start = since - Duration::days(REFUND_WINDOW_DAYS);
        slugs.extend(
            forms
                .into_iter()
                .filter(|f| {
                    f.start_date
                        .as_deref()
                        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                        .is_some_and(|d| d >= window_start)
                })
                .map(|f| f.form_slug),
        );
        tracing::info!(forms = slugs.len(), "helloasso forms to read");
        for slug in &slugs {
            let endpoint = format!("/v5/organizations/{org}/forms/Event/{slug}/public");
            let raw = self.get(&endpoint, &[], now).await?;
            json::parse::<super::model::Form>(VENDOR, &endpoint, &raw.body)?;
            out.push(raw);
            self.pages::<super::model::Item>(
                &format!("/v5/organizations/{org}/forms/Event/{slug}/items"),
                &[
                    ("tierTypes", "Registration".into()),
                    ("withCount", "true".into()),
                    ("sortField", "UpdateDate".into()),
                    ("sortOrder", "Asc".into()),
                ],
                now,
                &mut out,
            )
            .await?;
        }
        Ok(out)
    }
}

fn build_error(e: reqwest::Error) -> ApiError {
    ApiError::Vendor {
        vendor: VENDOR.into(),
        message: format!("requête impossible à construire ({e})"),
        retryable: false,
    }
}
