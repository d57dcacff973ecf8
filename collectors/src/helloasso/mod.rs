//! Helloasso collector. TODO: being written (vendors part A).

pub mod normalise;
#[cfg(test)]
pub(crate) mod tests;

use crate::api::{ApiCollector, ApiContext, ApiError, RawExchange};
use crate::{Record, SourceKind};
use chrono::{DateTime, Utc};

pub const DEFAULT_BASE_URL: &str = "https://api.helloasso.com";

pub struct Helloasso {
    ctx: ApiContext,
}

impl Helloasso {
    pub fn new(ctx: ApiContext) -> Helloasso {
        Helloasso { ctx }
    }
}

impl ApiCollector for Helloasso {
    fn kind(&self) -> SourceKind {
        SourceKind::Helloasso
    }

    async fn check(&self) -> Result<(), ApiError> {
        Err(ApiError::NotImplemented {
            kind: self.kind().code().into(),
        })
    }

    async fn fetch(
        &self,
        _since: DateTime<Utc>,
        _now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError> {
        Err(ApiError::NotImplemented {
            kind: self.kind().code().into(),
        })
    }

    fn normalise(&self, raw: &[RawExchange]) -> Vec<Record> {
        normalise::normalise(&self.ctx.source_key, raw)
    }
}
