//! One vendor call as kept in the store: the scrubbed request and the answer, verbatim.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawExchange {
    /// Source kind code (`billetweb`, …).
    pub vendor: String,
    /// The vendor path called, without base URL or query (`/event/48213/attendees`). The
    /// normaliser reads it to know what the body is.
    pub endpoint: String,
    /// Method and URL with secrets masked (`GET …?user=***&key=***&past=1`).
    pub request: String,
    pub status: u16,
    pub body: String,
    pub fetched_at: DateTime<Utc>,
}

impl RawExchange {
    pub fn from_reply(
        vendor: &str,
        endpoint: &str,
        reply: crate::http::HttpReply,
        fetched_at: DateTime<Utc>,
    ) -> RawExchange {
        RawExchange {
            vendor: vendor.to_string(),
            endpoint: endpoint.to_string(),
            request: reply.request,
            status: reply.status,
            body: reply.body,
            fetched_at,
        }
    }
}
