//! The job queue: deduplicated enqueue, atomic claims, leases, takeover of crashed workers.

use crate::test_support::{at, each_backend};
use crate::{JobFilter, JobOutcome, JobRequest, JobState, Store, Worker, RUN_JOB};
use releve_domain::Month;
use std::collections::HashMap;
use std::time::Duration;

const LEASE: Duration = Duration::from_secs(60);

fn month(text: &str) -> Month {
    text.parse().unwrap()
}

fn request(org: &str, m: &str) -> JobRequest {
    JobRequest {
        org: org.into(),
        month: month(m),
        kind: RUN_JOB.into(),
        requested_by: "releve run (cron)".into(),
        params: serde_json::json!({"source": "test"}),
    }
}

/// A worker on a machine of its own: only its lease tells whether it is alive.
fn remote(pid: u32) -> Worker {
    Worker {
        label: "releve run".into(),
        host: format!("machine-{pid}"),
        pid,
    }
}

fn run_filter(m: &str, orgs: &[&str]) -> JobFilter {
    JobFilter {
        kind: Some(RUN_JOB.into()),
        month: Some(month(m)),
        orgs: Some(orgs.iter().map(|o| o.to_string()).collect()),
    }
}

#[tokio::test]
async fn enqueue_is_deduplicated_while_a_job_is_queued_or_running() {
    each_backend(|store| async move {
        let now = at("2025-12-05 06:00");
        let first = store
            .enqueue_job(&request("digues", "2025-11"), now)
            .await
            .unwrap();
        assert!(first.created);
        assert_eq!(first.job.state, JobState::Queued);
        assert_eq!(first.job.attempts, 0);
        assert_eq!(first.job.requested_by, "releve run (cron)");
        assert_eq!(first.job.requested_at, now);
        assert_eq!(first.job.params, serde_json::json!({"source": "test"}));
        assert_eq!(first.job.worker, None);

        let again = store
            .enqueue_job(&request("digues", "2025-11"), now)
            .await
            .unwrap();
        assert!(!again.created);
        assert_eq!(again.job.id, first.job.id);
        // Another month or another organisation is another job.
        let october = store
            .enqueue_job(&request("digues", "2025-10"), now)
            .await
            .unwrap();
        let other = store
            .enqueue_job(&request("autre", "2025-11"), now)
            .await
            .unwrap();
        assert!(october.created && other.created);
        assert_ne!(october.job.id, first.job.id);

        // Running still holds the (org, month, kind)…
        let worker = remote(100);
        let claimed = store
            .claim_job(&run_filter("2025-11", &["digues"]), &worker, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.id, first.job.id);
        let during = store
            .enqueue_job(&request("digues", "2025-11"), now)
            .await
            .unwrap();
        assert!(!during.created);
        assert_eq!(during.job.state, JobState::Running);
        // …a finished job does not: the next run of that month is a new job.
        let outcome = JobOutcome::from_exit_status(1, Some("2 lignes en quarantaine".into()));
        assert!(store
            .finish_job(&claimed, at("2025-12-05 06:02"), &outcome)
            .await
            .unwrap());
        let after = store
            .enqueue_job(&request("digues", "2025-11"), at("2025-12-05 07:00"))
            .await
            .unwrap();
        assert!(after.created);
        assert_ne!(after.job.id, first.job.id);

        let done = store.job(first.job.id).await.unwrap().unwrap();
        assert_eq!(done.state, JobState::Attention);
        assert_eq!(done.exit_status, Some(1));
        assert_eq!(done.message.as_deref(), Some("2 lignes en quarantaine"));
        assert_eq!(done.finished_at, Some(at("2025-12-05 06:02")));
        assert_eq!(done.lease_until, None);
        assert_eq!(done.worker, Some(worker));
        assert_eq!(store.job(999_999).await.unwrap(), None);

        let listed: Vec<i64> = store
            .jobs(Some("digues"), Some(month("2025-11")))
            .await
            .unwrap()
            .iter()
            .map(|j| j.id)
            .collect();
        assert_eq!(listed, vec![first.job.id, after.job.id]);
        assert_eq!(store.jobs(None, None).await.unwrap().len(), 4);
        assert_eq!(store.jobs(Some("autre"), None).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn claims_follow_the_filter_and_the_queue_order() {
    each_backend(|store| async move {
        let now = at("2025-12-05 06:00");
        let mut ids = HashMap::new();
        for (org, m) in [
            ("b", "2025-11"),
            ("a", "2025-11"),
            ("c", "2025-11"),
            ("a", "2025-10"),
        ] {
            let job = store.enqueue_job(&request(org, m), now).await.unwrap().job;
            ids.insert((org, m), job.id);
        }
        let worker = remote(7);
        // Only a and b of November: b was queued first.
        let filter = run_filter("2025-11", &["a", "b"]);
        let first = store
            .claim_job(&filter, &worker, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.id, ids[&("b", "2025-11")]);
        assert_eq!(first.state, JobState::Running);
        assert_eq!(first.attempts, 1);
        assert_eq!(first.started_at, Some(now));
        assert_eq!(first.heartbeat_at, Some(now));
        assert_eq!(first.lease_until, Some(at("2025-12-05 06:01")));
        let second = store
            .claim_job(&filter, &worker, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(second.id, ids[&("a", "2025-11")]);
        assert_eq!(
            store.claim_job(&filter, &worker, now, LEASE).await.unwrap(),
            None
        );
        // No organisation selected: nothing, even though c is queued.
        let none = run_filter("2025-11", &[]);
        assert_eq!(
            store.claim_job(&none, &worker, now, LEASE).await.unwrap(),
            None
        );
        let other_kind = JobFilter {
            kind: Some("submit".into()),
            ..JobFilter::default()
        };
        assert_eq!(
            store
                .claim_job(&other_kind, &worker, now, LEASE)
                .await
                .unwrap(),
            None
        );
        // The server's filter (anything) takes the oldest claimable: c of November.
        let any = store
            .claim_job(&JobFilter::default(), &worker, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(any.id, ids[&("c", "2025-11")]);
    })
    .await;
}

#[tokio::test]
async fn a_job_whose_lease_passed_is_taken_again_and_the_old_worker_loses_it() {
    each_backend(|store| async move {
        let now = at("2025-12-05 06:00");
        store
            .enqueue_job(&request("digues", "2025-11"), now)
            .await
            .unwrap();
        let filter = run_filter("2025-11", &["digues"]);
        let (crashed, next) = (remote(1), remote(2));
        let held = store
            .claim_job(&filter, &crashed, now, LEASE)
            .await
            .unwrap()
            .unwrap();

        // Within the lease (renewed by a heartbeat at 06:00:50 until 06:01:50): not claimable.
        let beat = now + chrono::Duration::seconds(50);
        assert!(store.heartbeat_job(&held, beat, LEASE).await.unwrap());
        let within = now + chrono::Duration::seconds(100);
        assert_eq!(
            store
                .claim_job(&filter, &next, within, LEASE)
                .await
                .unwrap(),
            None
        );
        // The lease passed (06:01:51 > 06:01:50): taken again, second attempt.
        let later = now + chrono::Duration::seconds(111);
        let retaken = store
            .claim_job(&filter, &next, later, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(retaken.id, held.id);
        assert_eq!(retaken.attempts, 2);
        assert_eq!(retaken.worker, Some(next.clone()));
        assert_eq!(retaken.started_at, Some(later));

        // The first worker comes back: its heartbeat and its result are refused.
        assert!(!store.heartbeat_job(&held, later, LEASE).await.unwrap());
        let late = JobOutcome::from_exit_status(0, None);
        assert!(!store.finish_job(&held, later, &late).await.unwrap());
        let failed = JobOutcome::from_exit_status(2, Some("source injoignable".into()));
        assert!(store.finish_job(&retaken, later, &failed).await.unwrap());
        let job = store.job(held.id).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.exit_status, Some(2));
        assert_eq!(job.worker, Some(next));
        // Finished: a heartbeat no longer renews anything.
        assert!(!store.heartbeat_job(&retaken, later, LEASE).await.unwrap());
    })
    .await;
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_job_held_by_a_dead_process_of_this_machine_is_taken_at_once() {
    each_backend(|store| async move {
        let now = at("2025-12-05 06:00");
        let me = Worker::this_process("releve run");
        // A process id above Linux's maximum (2^22) never exists; pid 1 always does.
        let dead = Worker {
            pid: 4_194_305 + 17,
            ..me.clone()
        };
        let alive = Worker {
            pid: 1,
            ..me.clone()
        };
        for org in ["mort", "vivant"] {
            store
                .enqueue_job(&request(org, "2025-11"), now)
                .await
                .unwrap();
        }
        let dead_job = store
            .claim_job(&run_filter("2025-11", &["mort"]), &dead, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        store
            .claim_job(&run_filter("2025-11", &["vivant"]), &alive, now, LEASE)
            .await
            .unwrap()
            .unwrap();
        // One second later, well within both leases.
        let soon = now + chrono::Duration::seconds(1);
        let both = run_filter("2025-11", &["mort", "vivant"]);
        let taken = store
            .claim_job(&both, &me, soon, LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(taken.id, dead_job.id);
        assert_eq!(taken.attempts, 2);
        assert_eq!(
            store.claim_job(&both, &me, soon, LEASE).await.unwrap(),
            None
        );
    })
    .await;
}

/// Two stores on one SQLite file are two processes' pools: eight workers share twenty jobs,
/// each job is claimed exactly once.
#[tokio::test]
async fn concurrent_workers_never_claim_one_job_twice() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("releve.db").display());
    let first = Store::connect(&url).await.unwrap();
    let second = Store::connect(&url).await.unwrap();
    concurrent_claims(first, second).await;

    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            crate::test_support::on_fresh_postgres_schema(&url, |scoped| async move {
                let first = Store::connect(&scoped).await.unwrap();
                let second = Store::connect(&scoped).await.unwrap();
                concurrent_claims(first, second).await;
            })
            .await;
        }
        _ => eprintln!(
            "concurrent claims: PostgreSQL variant skipped (DATABASE_URL is not postgres://…)"
        ),
    }
}

async fn concurrent_claims(first: Store, second: Store) {
    let now = at("2025-12-05 06:00");
    let orgs: Vec<String> = (0..20).map(|i| format!("org-{i:02}")).collect();
    for org in &orgs {
        first
            .enqueue_job(&request(org, "2025-11"), now)
            .await
            .unwrap();
    }
    let filter = JobFilter {
        kind: Some(RUN_JOB.into()),
        month: Some(month("2025-11")),
        orgs: Some(orgs.clone()),
    };
    let mut tasks = Vec::new();
    for w in 0..8u32 {
        let store = if w % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        let filter = filter.clone();
        tasks.push(tokio::spawn(async move {
            let worker = remote(1000 + w);
            let mut mine = Vec::new();
            while let Some(job) = store.claim_job(&filter, &worker, now, LEASE).await.unwrap() {
                let outcome = JobOutcome::from_exit_status(0, None);
                assert!(store.finish_job(&job, now, &outcome).await.unwrap());
                mine.push(job.org);
            }
            mine
        }));
    }
    let mut claimed = Vec::new();
    for task in tasks {
        claimed.extend(task.await.unwrap());
    }
    claimed.sort();
    assert_eq!(claimed, orgs);
    let jobs = first.jobs(None, None).await.unwrap();
    assert_eq!(jobs.len(), 20);
    assert!(jobs
        .iter()
        .all(|j| j.state == JobState::Succeeded && j.attempts == 1));
    first.close().await;
    second.close().await;
}

/// Cron jobs starting together on a database that does not exist yet: every one of them
/// connects (the second used to fail with "table organisations already exists").
#[tokio::test]
async fn concurrent_starts_on_a_new_database_all_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("neuve.db").display());
    concurrent_connects(&url).await;

    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            crate::test_support::on_fresh_postgres_schema(&url, |scoped| async move {
                concurrent_connects(&scoped).await;
            })
            .await;
        }
        _ => eprintln!(
            "concurrent migrations: PostgreSQL variant skipped (DATABASE_URL is not postgres://…)"
        ),
    }
}

async fn concurrent_connects(url: &str) {
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let url = url.to_string();
        tasks.push(tokio::spawn(async move { Store::connect(&url).await }));
    }
    for task in tasks {
        let store = task
            .await
            .unwrap()
            .expect("every concurrent start migrates or finds it done");
        assert!(store.jobs(None, None).await.unwrap().is_empty());
        store.close().await;
    }
}
