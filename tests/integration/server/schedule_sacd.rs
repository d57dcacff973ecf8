//! The weekly SACD job of `releve serve` (`[schedule] sacd_weekday`) driven by a fixed clock:
//! the bordereau of the 7 days before each due Monday, recorded as a version of its period and
//! written to the server's output folder, once per due instant, and once after a stop.

use super::harness::{TestServer, VENUE};
use super::work::{write_november, PROGRAMME_SOURCE};
use releve::server::schedule_sacd::{self, KIND};
use releve::server::AppState;
use releve_domain::FixedClock;
use releve_store::{Job, JobRequest, JobState, Span};
use std::sync::Arc;

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The server's state with the same configuration and store, at a fixed instant (a restart).
fn state_at(server: &TestServer, instant: &str) -> AppState {
    AppState::new(
        server.state.config().clone(),
        server.state.store().clone(),
        Arc::new(FixedClock(at(instant))),
    )
    .unwrap()
}

/// The venue's weekly jobs finished by a tick, as (from, to, state). (The running server's own
/// loop, on the real clock, works other weeks: they are left out.)
async fn tick(state: &AppState) -> Vec<(String, String, JobState)> {
    let done: Vec<Job> = schedule_sacd::tick(state).await.unwrap();
    done.iter()
        .filter(|j| {
            j.org == VENUE
                && j.params["from"]
                    .as_str()
                    .is_some_and(|f| f.starts_with("2025"))
        })
        .map(|j| {
            (
                j.params["from"].as_str().unwrap().to_string(),
                j.params["to"].as_str().unwrap().to_string(),
                j.state,
            )
        })
        .collect()
}

async fn venue_weeks(server: &TestServer) -> Vec<Job> {
    server
        .state
        .store()
        .jobs(Some(VENUE), None)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| {
            j.kind == KIND
                && j.params["from"]
                    .as_str()
                    .is_some_and(|f| f.starts_with("2025"))
        })
        .collect()
}

#[tokio::test]
async fn the_weekly_sacd_bordereau_runs_once_per_week_and_catches_up_once_after_a_stop() {
    let server = TestServer::start_with(
        "[schedule]\nday = 5\ntime = \"06:00\"\nsacd_weekday = \"lundi\"\n",
        PROGRAMME_SOURCE,
    )
    .await;
    write_november(&server);
    // Monday 17 November 2025 at 06:00 Paris: the week of 10–16 November, which holds
    // « Le Misanthrope » on the 14th (theatre). The harness's venue has no SACD declarant id:
    // a blocking point, so the job ends "attention" and says so.
    let monday = state_at(&server, "2025-11-17T06:00:00+01:00");
    assert_eq!(
        tick(&monday).await,
        [(
            "2025-11-10".into(),
            "2025-11-16".into(),
            JobState::Attention
        )]
    );
    let jobs = venue_weeks(&server).await;
    assert_eq!(jobs.len(), 1);
    let message = jobs[0].message.clone().unwrap_or_default();
    assert!(
        message.contains(
            "du 10 novembre 2025 au 16 novembre 2025 : 1 représentation(s), brouillon (v1)"
        ),
        "{message}"
    );
    assert!(message.contains("sacd_declarant_id"), "{message}");
    assert_eq!(jobs[0].params["scheduled_for"], "2025-11-17T05:00:00+00:00");
    assert_eq!(jobs[0].requested_by, schedule_sacd::REQUESTER);
    // A version of the period, with P1: 2 × 25.00 + 15.00 = 65.00 incl. (one ticket refunded,
    // one invitation), excl. round(65 / 1.055) = 61.61, due 14 + 30 days = 14 December.
    let week = Span::parse("2025-11-10_2025-11-16").unwrap();
    let versions = server
        .state
        .store()
        .versions_of(VENUE, "sacd", week)
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    let line = &versions[0].model["lines"][0];
    assert_eq!(line["performance_id"], "tickets_csv:P1");
    assert_eq!(line["receipts_incl_vat"], "65.00");
    assert_eq!(line["receipts_excl_vat"], "61.61");
    assert_eq!(
        (
            line["paid_tickets"].as_u64(),
            line["exempted_tickets"].as_u64()
        ),
        (Some(3), Some(1))
    );
    assert_eq!(line["deadline"], "2025-12-14");
    assert_eq!(versions[0].model["lines"].as_array().unwrap().len(), 1);
    let file = server
        .dir
        .path()
        .join("out/theatre-des-digues/sacd/2025-11-10_2025-11-16/sacd.xml");
    assert!(file.exists(), "{}", file.display());

    // Later that morning, and after a restart on Thursday: nothing again.
    assert!(tick(&state_at(&server, "2025-11-17T06:30:00+01:00"))
        .await
        .is_empty());
    assert!(tick(&state_at(&server, "2025-11-20T10:00:00+01:00"))
        .await
        .is_empty());
    // Stopped from Sunday 23 to Wednesday 26 November: the week of 17–23 runs once at the next
    // start, not the one before, and not twice.
    assert_eq!(
        tick(&state_at(&server, "2025-11-26T09:00:00+01:00")).await,
        [(
            "2025-11-17".into(),
            "2025-11-23".into(),
            JobState::Attention
        )]
    );
    assert!(tick(&state_at(&server, "2025-11-26T09:00:30+01:00"))
        .await
        .is_empty());
    assert_eq!(venue_weeks(&server).await.len(), 2);

    // A server stopped just after queuing Monday 1 December's job: the next tick works that
    // job, and queues no second one for the same instant.
    let left = JobRequest {
        org: VENUE.to_string(),
        month: "2025-11".parse().unwrap(),
        kind: KIND.to_string(),
        requested_by: schedule_sacd::REQUESTER.to_string(),
        params: serde_json::json!({
            "scheduled_for": "2025-12-01T05:00:00+00:00",
            "from": "2025-11-24",
            "to": "2025-11-30",
        }),
    };
    server
        .state
        .store()
        .enqueue_job(&left, at("2025-12-01T06:00:00+01:00"))
        .await
        .unwrap();
    let done = tick(&state_at(&server, "2025-12-01T07:00:00+01:00")).await;
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(
        (done[0].0.as_str(), done[0].1.as_str()),
        ("2025-11-24", "2025-11-30")
    );
    let jobs = venue_weeks(&server).await;
    assert_eq!(jobs.len(), 3);
    assert!(jobs.iter().all(|j| j.finished_at.is_some()));
    server.stop().await;
}
