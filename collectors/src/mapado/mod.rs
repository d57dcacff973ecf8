//! Mapado collector. TODO: being written (vendors part A).

pub mod normalise;
#[cfg(test)]
pub(crate) mod tests;

use crate::api::{ApiCollector, ApiContext, ApiError, RawExchange};
use crate::{Record, SourceKind};
use chrono::{DateTime, Utc};

pub const DEFAULT_BASE_URL: &str = "https://ticketing.mapado.net";

pub struct Mapado {
    ctx: ApiContext,
}

impl Mapado {
    pub fn new(ctx: ApiContext) -> Mapado {
        Mapado { ctx }
    }
}

impl ApiCollector for Mapado {
    fn kind(&self) -> SourceKind {
        SourceKind::Mapado
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
