//! The collector trait and the static list of API collectors.
//!
//! Static dispatch: [`AnyApiCollector`] has one variant per vendor with a collector; adding a
//! vendor means a variant, a line in [`REGISTERED`], [`AnyApiCollector::build`],
//! [`normalise_stored`], [`default_base_url`] and its compliance suite (see [`super::compliance`]).

use super::credentials::{Credentials, EnvLookup};
use super::error::ApiError;
use super::raw::RawExchange;
use crate::http::Sleeper;
use crate::{Record, SourceKind, SourceSpec};
use chrono::{DateTime, Utc};
use reqwest::Url;
use std::sync::Arc;

/// What every vendor collector does. `fetch` does HTTP only and returns every page it read;
/// `normalise` is pure and maps stored pages to records (it must accept pages of several
/// syncs, later pages superseding earlier ones).
#[allow(async_fn_in_trait)]
pub trait ApiCollector {
    fn kind(&self) -> SourceKind;
    /// "Test connection": one cheap authenticated call.
    async fn check(&self) -> Result<(), ApiError>;
    /// Everything changed since `since` (the performances touched, re-read fully).
    async fn fetch(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError>;
    fn normalise(&self, raw: &[RawExchange]) -> Vec<Record>;
}

/// What a collector is built from.
pub struct ApiContext {
    pub kind: SourceKind,
    /// Source key used in ids (`billetweb`, `billetweb#2`).
    pub source_key: String,
    /// Without trailing slash.
    pub base_url: String,
    pub credentials: Credentials,
    pub sleeper: Arc<dyn Sleeper>,
}

impl ApiContext {
    /// `base_url` + `path` (`path` starts with `/`).
    pub fn url(&self, path: &str) -> Result<Url, ApiError> {
        let text = format!("{}{}", self.base_url, path);
        Url::parse(&text).map_err(|e| ApiError::BaseUrl {
            source_key: self.source_key.clone(),
            url: self.base_url.clone(),
            reason: e.to_string(),
        })
    }
}

/// API kinds that have a collector in this build.
pub const REGISTERED: &[SourceKind] = &[
    SourceKind::Billetweb,
    SourceKind::Helloasso,
    SourceKind::Mapado,
    SourceKind::Shotgun,
    SourceKind::Supersoniks,
    SourceKind::Soticket,
    SourceKind::Weezevent,
];

/// The vendor's production address, when it has one shared by all customers.
pub fn default_base_url(kind: SourceKind) -> Option<&'static str> {
    match kind {
        SourceKind::Billetweb => Some(crate::billetweb::DEFAULT_BASE_URL),
        SourceKind::Helloasso => Some(crate::helloasso::DEFAULT_BASE_URL),
        SourceKind::Mapado => Some(crate::mapado::DEFAULT_BASE_URL),
        SourceKind::Shotgun => Some(crate::shotgun::DEFAULT_BASE_URL),
        SourceKind::Weezevent => Some(crate::weezevent::DEFAULT_BASE_URL),
        _ => None,
    }
}

/// The configured `base_url`, or the vendor's default, without trailing slash.
pub fn base_url_of(spec: &SourceSpec) -> Result<String, ApiError> {
    let url = match (&spec.base_url, default_base_url(spec.kind)) {
        (Some(u), _) => u.clone(),
        (None, Some(d)) => d.to_string(),
        (None, None) => {
            return Err(ApiError::MissingBaseUrl {
                source_key: spec.key.clone(),
                kind: spec.kind.code().to_string(),
            })
        }
    };
    Url::parse(&url).map_err(|e| ApiError::BaseUrl {
        source_key: spec.key.clone(),
        url: url.clone(),
        reason: e.to_string(),
    })?;
    Ok(url.trim_end_matches('/').to_string())
}

// One collector per source and sync: the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum AnyApiCollector {
    Billetweb(crate::billetweb::Billetweb),
    Helloasso(crate::helloasso::Helloasso),
    Mapado(crate::mapado::Mapado),
    Shotgun(crate::shotgun::Shotgun),
    /// Supersoniks and SoTicket (same API, the context's kind tells them apart).
    Supersoniks(crate::supersoniks::Supersoniks),
    Weezevent(crate::weezevent::Weezevent),
}

impl AnyApiCollector {
    /// Builds the collector of `spec`: credentials from `env`, base URL from the spec or the
    /// vendor's default.
    pub fn build(
        spec: &SourceSpec,
        env: &dyn EnvLookup,
        sleeper: Arc<dyn Sleeper>,
    ) -> Result<AnyApiCollector, ApiError> {
        if !REGISTERED.contains(&spec.kind) {
            return Err(ApiError::NotImplemented {
                kind: spec.kind.code().to_string(),
            });
        }
        let prefix =
            spec.credentials_env
                .as_deref()
                .ok_or_else(|| ApiError::MissingCredentialsEnv {
                    source_key: spec.key.clone(),
                })?;
        let ctx = ApiContext {
            kind: spec.kind,
            source_key: spec.key.clone(),
            base_url: base_url_of(spec)?,
            credentials: Credentials::load(spec.kind, &spec.key, prefix, env)?,
            sleeper,
        };
        Ok(AnyApiCollector::from_context(ctx))
    }

    pub fn from_context(ctx: ApiContext) -> AnyApiCollector {
        match ctx.kind {
            SourceKind::Billetweb => {
                AnyApiCollector::Billetweb(crate::billetweb::Billetweb::new(ctx))
            }
            SourceKind::Helloasso => {
                AnyApiCollector::Helloasso(crate::helloasso::Helloasso::new(ctx))
            }
            SourceKind::Mapado => AnyApiCollector::Mapado(crate::mapado::Mapado::new(ctx)),
            SourceKind::Shotgun => AnyApiCollector::Shotgun(crate::shotgun::Shotgun::new(ctx)),
            SourceKind::Supersoniks | SourceKind::Soticket => {
                AnyApiCollector::Supersoniks(crate::supersoniks::Supersoniks::new(ctx))
            }
            SourceKind::Weezevent => {
                AnyApiCollector::Weezevent(crate::weezevent::Weezevent::new(ctx))
            }
            other => unreachable!("{} is not registered", other.code()),
        }
    }
}

impl ApiCollector for AnyApiCollector {
    fn kind(&self) -> SourceKind {
        match self {
            AnyApiCollector::Billetweb(c) => c.kind(),
            AnyApiCollector::Helloasso(c) => c.kind(),
            AnyApiCollector::Mapado(c) => c.kind(),
            AnyApiCollector::Shotgun(c) => c.kind(),
            AnyApiCollector::Supersoniks(c) => c.kind(),
            AnyApiCollector::Weezevent(c) => c.kind(),
        }
    }

    async fn check(&self) -> Result<(), ApiError> {
        match self {
            AnyApiCollector::Billetweb(c) => c.check().await,
            AnyApiCollector::Helloasso(c) => c.check().await,
            AnyApiCollector::Mapado(c) => c.check().await,
            AnyApiCollector::Shotgun(c) => c.check().await,
            AnyApiCollector::Supersoniks(c) => c.check().await,
            AnyApiCollector::Weezevent(c) => c.check().await,
        }
    }

    async fn fetch(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RawExchange>, ApiError> {
        match self {
            AnyApiCollector::Billetweb(c) => c.fetch(since, now).await,
            AnyApiCollector::Helloasso(c) => c.fetch(since, now).await,
            AnyApiCollector::Mapado(c) => c.fetch(since, now).await,
            AnyApiCollector::Shotgun(c) => c.fetch(since, now).await,
            AnyApiCollector::Supersoniks(c) => c.fetch(since, now).await,
            AnyApiCollector::Weezevent(c) => c.fetch(since, now).await,
        }
    }

    fn normalise(&self, raw: &[RawExchange]) -> Vec<Record> {
        match self {
            AnyApiCollector::Billetweb(c) => c.normalise(raw),
            AnyApiCollector::Helloasso(c) => c.normalise(raw),
            AnyApiCollector::Mapado(c) => c.normalise(raw),
            AnyApiCollector::Shotgun(c) => c.normalise(raw),
            AnyApiCollector::Supersoniks(c) => c.normalise(raw),
            AnyApiCollector::Weezevent(c) => c.normalise(raw),
        }
    }
}

/// Re-normalises stored raw exchanges of a source (after a mapping fix), without credentials
/// and without calling the vendor. `raw` in the order they were fetched.
pub fn normalise_stored(kind: SourceKind, source_key: &str, raw: &[RawExchange]) -> Vec<Record> {
    match kind {
        SourceKind::Billetweb => crate::billetweb::normalise::normalise(source_key, raw),
        SourceKind::Helloasso => crate::helloasso::normalise::normalise(source_key, raw),
        SourceKind::Mapado => crate::mapado::normalise::normalise(source_key, raw),
        SourceKind::Shotgun => crate::shotgun::normalise::normalise(source_key, raw),
        SourceKind::Supersoniks | SourceKind::Soticket => {
            crate::supersoniks::normalise::normalise(source_key, raw)
        }
        SourceKind::Weezevent => crate::weezevent::normalise::normalise(source_key, raw),
        _ => Vec::new(),
    }
}
