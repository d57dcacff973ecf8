//! The HTTP client every vendor collector uses: rate limit, retries, request ids, scrubbing.

use super::error::{excerpt, HttpError};
use super::rate_limit::{Bucket, RateLimit};
use super::scrub::scrub_url;
use super::sleeper::Sleeper;
use chrono::{DateTime, Utc};
use reqwest::header::RETRY_AFTER;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::Instrument;

/// A vendor hook: `Some(reason)` when a response (whatever its status) means "slow down" —
/// Billetweb answers its rate limit with a JSON body and Cloudflare with an HTML challenge.
pub type ThrottleCheck = fn(status: u16, body: &str) -> Option<&'static str>;

#[derive(Clone, Copy, Debug)]
pub struct HttpConfig {
    /// Whole-request timeout (connect + body).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// First backoff delay, doubled at each retry (no jitter: runs stay reproducible).
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the call fails as throttled.
    pub max_retry_after: Duration,
    pub rate_limit: RateLimit,
}

impl HttpConfig {
    pub fn with_rate_limit(rate_limit: RateLimit) -> HttpConfig {
        HttpConfig {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_attempts: 4,
            base_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
            rate_limit,
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << (attempt.saturating_sub(1)).min(16);
        (self.base_backoff * factor).min(self.max_backoff)
    }
}

/// A successful (2xx/3xx) answer, with the scrubbed request that produced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    /// Method and scrubbed URL, e.g. `GET https://…/events?user=***&key=***&past=1`.
    pub request: String,
    pub status: u16,
    pub body: String,
    pub request_id: String,
}

pub struct HttpClient {
    vendor: &'static str,
    inner: reqwest::Client,
    config: HttpConfig,
    bucket: Mutex<Bucket>,
    sleeper: Arc<dyn Sleeper>,
    throttle: Option<ThrottleCheck>,
    counter: AtomicU64,
}

impl HttpClient {
    pub fn new(vendor: &'static str, config: HttpConfig, sleeper: Arc<dyn Sleeper>) -> HttpClient {
        let inner = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("releve/", env!("CARGO_PKG_VERSION")))
            .build()
            // Only fails when the TLS backend cannot initialise: nothing to recover.
            .expect("HTTP client");
        HttpClient {
            vendor,
            inner,
            config,
            bucket: Mutex::new(Bucket::new(config.rate_limit)),
            sleeper,
            throttle: None,
            counter: AtomicU64::new(0),
        }
    }

    pub fn with_throttle_check(mut self, check: ThrottleCheck) -> HttpClient {
        self.throttle = Some(check);
        self
    }

    pub fn vendor(&self) -> &'static str {
        self.vendor
    }

    /// The underlying client, to build requests (`client.reqwest().get(url)…build()`).
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }

    pub fn sleeper(&self) -> &Arc<dyn Sleeper> {
        &self.sleeper
    }

    /// Sends `request` (its body must be cloneable), waiting for the rate limiter and
    /// retrying on transport errors, 429, 5xx and throttled bodies.
    pub async fn send(
        &self,
        endpoint: &str,
        request: reqwest::Request,
    ) -> Result<HttpReply, HttpError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("{}-{:05}", self.vendor, n);
        let shown = format!("{} {}", request.method(), scrub_url(request.url()));
        let span =
            tracing::info_span!("http", vendor = self.vendor, endpoint, request_id = %request_id);
        self.send_with_retries(endpoint, request, shown, request_id)
            .instrument(span)
            .await
    }

    async fn send_with_retries(
        &self,
        endpoint: &str,
        request: reqwest::Request,
        shown: String,
        request_id: String,
    ) -> Result<HttpReply, HttpError> {
        let max = self.config.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.pace().await;
            let req = request
                .try_clone()
                .expect("vendor requests have in-memory bodies");
            tracing::debug!(attempt, request = %shown, "sending");
            let failure = match self.inner.execute(req).await {
                Err(e) => {
                    tracing::warn!(attempt, error = %without_url(&e), "transport error");
                    Failure::Transport(without_url(&e))
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, self.sleeper.wall_clock()));
                    match response.text().await {
                        Err(e) => {
                            tracing::warn!(attempt, error = %without_url(&e), "body read error");
                            Failure::Transport(without_url(&e))
                        }
                        Ok(body) => {
                            tracing::debug!(attempt, status, bytes = body.len(), "received");
                            match self.classify(endpoint, status, retry_after, &body)? {
                                Some(failure) => failure,
                                None => {
                                    return Ok(HttpReply {
                                        request: shown,
                                        status,
                                        body,
                                        request_id,
                                    })
                                }
                            }
                        }
                    }
                }
            };
            let retry_after = failure.retry_after();
            failure.retry_or_fail(self, endpoint, attempt, max, retry_after)?;
            let delay = retry_after.unwrap_or_else(|| self.config.backoff(attempt));
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
            self.sleeper.sleep(delay).await;
        }
    }

    /// `Ok(None)`: a usable answer; `Ok(Some(_))`: worth another attempt; `Err`: final.
    fn classify(
        &self,
        endpoint: &str,
        status: u16,
        retry_after: Option<Duration>,
        body: &str,
    ) -> Result<Option<Failure>, HttpError> {
        let throttled = self.throttle.and_then(|check| check(status, body));
        if status == 429 || throttled.is_some() {
            Ok(Some(Failure::Throttled(
                throttled.unwrap_or("HTTP 429"),
                retry_after,
            )))
        } else if status >= 500 {
            Ok(Some(Failure::Server(status, retry_after)))
        } else if status == 401 || status == 403 {
            Err(HttpError::Unauthorized {
                vendor: self.vendor.into(),
                endpoint: endpoint.into(),
                status,
            })
        } else if status >= 400 {
            Err(HttpError::Status {
                vendor: self.vendor.into(),
                endpoint: endpoint.into(),
                status,
                excerpt: excerpt(body),
            })
        } else {
            Ok(None)
        }
    }

    async fn pace(&self) {
        let wait = self
            .bucket
            .lock()
            .expect("rate limiter lock")
            .acquire(self.sleeper.now());
        if !wait.is_zero() {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited locally");
            self.sleeper.sleep(wait).await;
        }
    }
}

enum Failure {
    Transport(String),
    Throttled(&'static str, Option<Duration>),
    Server(u16, Option<Duration>),
}

impl Failure {
    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Transport(_) => None,
            Failure::Throttled(_, r) | Failure::Server(_, r) => *r,
        }
    }

    /// `Ok(())` when another attempt should be made, the final error otherwise.
    fn retry_or_fail(
        self,
        client: &HttpClient,
        endpoint: &str,
        attempt: u32,
        max: u32,
        retry_after: Option<Duration>,
    ) -> Result<(), HttpError> {
        let too_long = retry_after.is_some_and(|d| d > client.config.max_retry_after);
        if attempt < max && !too_long {
            return Ok(());
        }
        let vendor = client.vendor.to_string();
        let endpoint = endpoint.to_string();
        Err(match self {
            Failure::Transport(message) => HttpError::Transport {
                vendor,
                endpoint,
                message,
                attempts: attempt,
            },
            Failure::Throttled(detail, _) => HttpError::Throttled {
                vendor,
                endpoint,
                detail: detail.to_string(),
                attempts: attempt,
            },
            Failure::Server(status, _) => HttpError::Server {
                vendor,
                endpoint,
                status,
                attempts: attempt,
            },
        })
    }
}

/// A reqwest error message without the URL (which may carry secrets in its query string).
fn without_url(e: &reqwest::Error) -> String {
    let e = e.to_string();
    match e.find(" for url (") {
        Some(i) => e[..i].to_string(),
        None => e,
    }
}

/// `Retry-After`: delta-seconds or an HTTP date (RFC 7231 §7.1.3), relative to `now`.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests;
