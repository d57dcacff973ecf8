//! Shared HTTP layer of the vendor API collectors.
//!
//! Owns everything a vendor call needs besides the vendor's own contract: a `reqwest` client
//! with timeouts, a per-vendor rate limiter (token bucket at the vendor's documented limit),
//! retries with exponential backoff on 429 (honouring `Retry-After`, in seconds or as an HTTP
//! date), on 5xx and on vendor-specific "throttled" bodies, a request id per call carried by a
//! `tracing` span, and the scrubbing of secrets (query-string keys and tokens, `Authorization`)
//! from everything that is logged or stored.
//!
//! Waiting goes through the [`Sleeper`] trait so that tests never sleep: [`RecordingSleeper`]
//! returns at once, advances a virtual clock and records every requested delay.

mod client;
mod error;
mod rate_limit;
mod scrub;
mod sleeper;

pub use client::{HttpClient, HttpConfig, HttpReply, ThrottleCheck};
pub use error::HttpError;
pub use rate_limit::RateLimit;
pub use scrub::{scrub_text, scrub_url, SECRET_PARAMS};
pub use sleeper::{RecordingSleeper, Sleeper, TokioSleeper};
