//! The HTTP side of the register: one `GET {base}/search?q=NUMBER` per lookup, through the
//! shared HTTP layer (5 calls a second, `Retry-After` honoured, short timeout, few attempts:
//! a run never waits long for an enrichment).

use super::error::RegistryError;
use super::number::CompanyNumber;
use crate::http::{HttpClient, HttpConfig, RateLimit, Sleeper};
use std::sync::Arc;
use std::time::Duration;

/// The name of the register in logs and in the HTTP layer's messages.
pub const VENDOR: &str = "répertoire des entreprises";

/// The register allows about 7 calls a second; releve keeps under it.
pub const RATE_LIMIT: RateLimit = RateLimit::new(5, Duration::from_secs(1));

/// Where the register is and how long a lookup may take.
#[derive(Clone, Debug)]
pub struct RegistryConfig {
    /// Without trailing slash, e.g. `https://recherche-entreprises.api.gouv.fr`.
    pub base_url: String,
    pub http: HttpConfig,
}

impl RegistryConfig {
    pub const DEFAULT_BASE_URL: &'static str = "https://recherche-entreprises.api.gouv.fr";

    pub fn new(base_url: &str) -> RegistryConfig {
        let mut http = HttpConfig::with_rate_limit(RATE_LIMIT);
        http.timeout = Duration::from_secs(10);
        http.connect_timeout = Duration::from_secs(5);
        http.max_attempts = 3;
        http.base_backoff = Duration::from_secs(1);
        http.max_backoff = Duration::from_secs(5);
        // A register that asks for a longer pause is treated as unavailable for this run.
        http.max_retry_after = Duration::from_secs(30);
        RegistryConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            http,
        }
    }
}

/// One answer as received, before reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAnswer {
    /// Method and URL of the call.
    pub request: String,
    pub body: String,
}

pub struct RegistryClient {
    http: HttpClient,
    base_url: String,
}

impl RegistryClient {
    pub fn new(config: RegistryConfig, sleeper: Arc<dyn Sleeper>) -> RegistryClient {
        RegistryClient {
            http: HttpClient::new(VENDOR, config.http, sleeper),
            base_url: config.base_url,
        }
    }

    /// Asks the register about `number`; only the number is sent.
    pub async fn search(&self, number: &CompanyNumber) -> Result<RawAnswer, RegistryError> {
        let url = format!("{}/search", self.base_url);
        let request = self
            .http
            .reqwest()
            .get(&url)
            .query(&[("q", number.digits())])
            .header("accept", "application/json")
            .build()
            .map_err(|e| {
                RegistryError::Unreachable(crate::http::HttpError::Transport {
                    vendor: VENDOR.into(),
                    endpoint: "/search".into(),
                    message: format!("adresse invalide « {url} » : {e}"),
                    attempts: 0,
                })
            })?;
        let reply = self
            .http
            .send("/search", request)
            .await
            .map_err(RegistryError::Unreachable)?;
        Ok(RawAnswer {
            request: reply.request,
            body: reply.body,
        })
    }
}
