//! Helpers for the vendor compliance suites.

use crate::api::{sync, ApiError, RawExchange, SyncOutcome};
use crate::http::RecordingSleeper;
use crate::{Record, SourceKind, SourceSpec};
use chrono::{DateTime, TimeZone, Utc};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::{Month, MonthFacts, PerformanceRecord, Ticket};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

pub(crate) fn spec(kind: SourceKind, base_url: &str) -> SourceSpec {
    SourceSpec {
        key: kind.code().to_string(),
        kind,
        path: None,
        base_url: Some(base_url.to_string()),
        credentials_env: Some("T".into()),
    }
}

pub(crate) fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (format!("T_{k}"), v.to_string()))
        .collect()
}

/// One sync with a recording sleeper starting at `now`.
pub(crate) async fn run_sync(
    spec: &SourceSpec,
    env: &BTreeMap<String, String>,
    cursor: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (Result<SyncOutcome, ApiError>, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::new(now));
    let outcome = sync(spec, cursor, now, env, sleeper.clone()).await;
    (outcome, sleeper)
}

pub(crate) fn tickets(records: &[Record]) -> Vec<Ticket> {
    let mut t: Vec<Ticket> = records
        .iter()
        .filter_map(|r| match r {
            Record::Ticket(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    t.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
    t
}

pub(crate) fn performances(records: &[Record]) -> Vec<PerformanceRecord> {
    let mut p: Vec<PerformanceRecord> = records
        .iter()
        .filter_map(|r| match r {
            Record::Performance(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    p.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    p
}

pub(crate) fn quarantined(records: &[Record]) -> usize {
    records
        .iter()
        .filter(|r| matches!(r, Record::Quarantined(_)))
        .count()
}

pub(crate) fn facts(records: &[Record], month: Month) -> MonthFacts {
    let org = releve_domain::testing::organisation(true);
    build_month_facts(FactsInput {
        organisation: &org,
        month,
        records: &performances(records),
        tickets: &tickets(records),
        programme: &[],
    })
}

/// No stored request or body may carry a secret.
pub(crate) fn assert_scrubbed(raw: &[RawExchange], secrets: &[&str]) {
    for r in raw {
        for s in secrets {
            assert!(!r.request.contains(s), "secret in {}", r.request);
        }
    }
}
