//! The incremental sync of one API source, as the binary calls it.
//!
//! `now` is taken by the caller before anything is fetched and becomes the new cursor, so a
//! change made during the fetch is read again next time. The caller stores the cursor only
//! when this returns `Ok` (together with the raw exchanges): a failed sync leaves the cursor
//! where it was and the next run reads the same window again.

use super::collector::{AnyApiCollector, ApiCollector};
use super::credentials::EnvLookup;
use super::error::ApiError;
use super::raw::RawExchange;
use crate::http::Sleeper;
use crate::{Record, SourceSpec};
use chrono::{DateTime, Months, Utc};
use std::sync::Arc;
use tracing::Instrument;

/// The first sync of a source reads this far back (the pilot's choice: a season and a bit).
pub const FIRST_SYNC_MONTHS: u32 = 13;

#[derive(Debug)]
pub struct SyncOutcome {
    pub records: Vec<Record>,
    /// Every call made, scrubbed, in order: store them with the cursor.
    pub raw: Vec<RawExchange>,
    /// The cursor to store once records and raw exchanges are saved.
    pub cursor: DateTime<Utc>,
}

pub fn first_sync_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(FIRST_SYNC_MONTHS))
        .unwrap_or(now)
}

/// Syncs one source from its stored `cursor` (`None` on the first sync).
pub async fn sync(
    spec: &SourceSpec,
    cursor: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    env: &dyn EnvLookup,
    sleeper: Arc<dyn Sleeper>,
) -> Result<SyncOutcome, ApiError> {
    let collector = AnyApiCollector::build(spec, env, sleeper)?;
    let since = cursor.unwrap_or_else(|| first_sync_start(now));
    let span = tracing::info_span!("sync", source = %spec.key, since = %since.to_rfc3339());
    let raw = collector.fetch(since, now).instrument(span).await?;
    let records = collector.normalise(&raw);
    tracing::info!(
        source = %spec.key,
        exchanges = raw.len(),
        records = records.len(),
        "sync done"
    );
    Ok(SyncOutcome {
        records,
        raw,
        cursor: now,
    })
}

/// Syncs several sources one after the other; a failing source does not stop the others.
/// Results come back in the order of `sources`, keyed by source key.
pub async fn sync_each(
    sources: &[(SourceSpec, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
    env: &dyn EnvLookup,
    sleeper: Arc<dyn Sleeper>,
) -> Vec<(String, Result<SyncOutcome, ApiError>)> {
    let mut out = Vec::with_capacity(sources.len());
    for (spec, cursor) in sources {
        let result = sync(spec, *cursor, now, env, sleeper.clone()).await;
        if let Err(e) = &result {
            tracing::warn!(source = %spec.key, retryable = e.is_retryable(), error = %e, "sync failed");
        }
        out.push((spec.key.clone(), result));
    }
    out
}

/// `releve check`: builds the collector (credentials, base URL) and makes one call.
pub async fn check(
    spec: &SourceSpec,
    env: &dyn EnvLookup,
    sleeper: Arc<dyn Sleeper>,
) -> Result<(), ApiError> {
    AnyApiCollector::build(spec, env, sleeper)?.check().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[tokio::test]
    async fn one_failing_source_does_not_stop_the_others() {
        use crate::api::testing::spec;
        use crate::replay::demo::{demo_env, start_demo_vendors};
        let vendors = start_demo_vendors().await.unwrap();
        let now = Utc.with_ymd_and_hms(2025, 12, 5, 8, 0, 0).unwrap();
        let mut broken = spec(crate::SourceKind::Mapado, "http://127.0.0.1:9");
        broken.key = "mapado".into();
        let sources = vec![(broken, None), (vendors[0].spec.clone(), None)];
        let e = demo_env();
        let sleeper = Arc::new(crate::http::RecordingSleeper::new(now));
        let results = sync_each(&sources, now, &e, sleeper).await;
        // Mapado lacks T_TOKEN: a configuration error naming it; Billetweb still synced.
        assert_eq!(results[0].0, "mapado");
        assert!(results[0]
            .1
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("T_TOKEN"));
        assert_eq!(results[1].0, "billetweb");
        assert_eq!(results[1].1.as_ref().unwrap().cursor, now);
    }

    #[test]
    fn first_sync_reads_thirteen_months_back() {
        let now = Utc.with_ymd_and_hms(2026, 2, 1, 3, 0, 0).unwrap();
        assert_eq!(
            first_sync_start(now),
            Utc.with_ymd_and_hms(2025, 1, 1, 3, 0, 0).unwrap()
        );
    }
}
