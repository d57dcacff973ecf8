//! What every API request goes through before its handler (formats.md §6, issue 10
//! "Protection"):
//! - a **request id**: the client's `X-Request-Id` when it is short and plain, else a new one;
//!   every log line of the request carries it (a `tracing` span), and the answer sends it back;
//! - a **size limit**: a declared body above 1 MB (8 MB for the vendor push) is a `413` before
//!   anything is read; bodies without a length are cut at the same sizes by the extractors;
//! - a **rate limit per token**: at most `[server] api_requests_per_minute` requests (600 by
//!   default) per token, as a bucket refilled continuously; beyond, `429` with `Retry-After`
//!   (seconds). Keyed by the token's hash, never the token;
//! - one **log line per request**: method, path (never the query string), status, duration,
//!   the token's name is not logged either — neither the token nor any body content is.

use crate::server::error::ApiError;
use crate::server::secrets::token_hash;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tracing::Instrument;

/// Largest declared body of an ordinary API request.
pub const MAX_BODY: usize = 1024 * 1024;

/// A token bucket per key: `capacity` requests, refilled at `capacity` per minute.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    buckets: Mutex<HashMap<String, (f64, DateTime<Utc>)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            capacity: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request for `key` at `now`; `Err(seconds)` to wait before the next one.
    pub fn take(&self, key: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let per_second = self.capacity / 60.0;
        let (tokens, at) = buckets
            .entry(key.to_string())
            .or_insert((self.capacity, now));
        let elapsed = (now - *at).num_milliseconds().max(0) as f64 / 1000.0;
        *tokens = (*tokens + elapsed * per_second).min(self.capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

/// The limiter of the server on this store (one per server, so that tests never share one).
fn limiter(state: &AppState) -> Arc<RateLimiter> {
    static ALL: OnceLock<Mutex<HashMap<String, Arc<RateLimiter>>>> = OnceLock::new();
    let mut all = ALL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    all.entry(state.config().database_url.clone())
        .or_insert_with(|| {
            Arc::new(RateLimiter::new(
                state.config().server.api_requests_per_minute,
            ))
        })
        .clone()
}

/// A client's request id is kept when it is 1–64 characters of `[A-Za-z0-9._-]`.
fn request_id(request: &Request) -> String {
    let given = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        });
    match given {
        Some(id) => id.to_string(),
        None => {
            let mut bytes = [0u8; 8];
            let _ = getrandom::getrandom(&mut bytes);
            hex::encode(bytes)
        }
    }
}

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = request_id(&request);
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let span = tracing::info_span!("api", request_id = %id, %method, %path);
    let started = std::time::Instant::now();
    let response = async {
        let limit = if path.ends_with("/tickets") {
            crate::push::MAX_BYTES
        } else {
            MAX_BODY
        };
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "requête trop volumineuse : au plus {} Mo",
                    limit / (1024 * 1024)
                ),
            )
            .into_response();
        }
        let token = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if let Some(token) = token {
            if let Err(seconds) = limiter(&state).take(&token_hash(token), state.now()) {
                tracing::warn!(retry_after = seconds, "API rate limit reached");
                let mut error = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    format!(
                        "trop de requêtes avec ce jeton : au plus {} par minute ; réessayez dans {seconds} s",
                        state.config().server.api_requests_per_minute
                    ),
                );
                error.retry_after = Some(seconds);
                return error.into_response();
            }
        }
        next.run(request).await
    }
    .instrument(span.clone())
    .await;
    let mut response = response;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "API request"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_token_gets_its_quota_then_waits_for_the_refill() {
        // 60 a minute: one more each second.
        let limiter = RateLimiter::new(60);
        for _ in 0..60 {
            assert_eq!(limiter.take("a", at(0)), Ok(()));
        }
        assert_eq!(limiter.take("a", at(0)), Err(1));
        // Another token has its own bucket.
        assert_eq!(limiter.take("b", at(0)), Ok(()));
        // Two seconds later, two requests, then a wait again.
        assert_eq!(limiter.take("a", at(2)), Ok(()));
        assert_eq!(limiter.take("a", at(2)), Ok(()));
        assert_eq!(limiter.take("a", at(2)), Err(1));
        // 6 a minute: the next one in 10 s.
        let slow = RateLimiter::new(6);
        for _ in 0..6 {
            assert_eq!(slow.take("a", at(0)), Ok(()));
        }
        assert_eq!(slow.take("a", at(0)), Err(10));
        assert_eq!(slow.take("a", at(4)), Err(6));
    }
}
