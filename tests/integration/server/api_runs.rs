//! Runs over the API (formats.md §6): `POST …/runs` queues the monthly job in the store's
//! queue, the server's worker runs it with the code of `releve run`, `GET /runs/{id}` says
//! where it is; on PostgreSQL two workers share 20 queued runs without running one twice.

use super::api_corrections::{write_sources, PROGRAMME_SOURCE};
use super::harness::{config_text, Setup, TestServer, OTHER, VENUE};
use releve::config::Config;
use releve::server::{worker, AppState};
use releve_store::{JobRequest, JobState, Store, Worker, RUN_JOB};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{Connection, Executor};
use std::sync::Arc;
use std::time::Duration;

/// Waits (without sleeping) until the server's worker says it finished job `id`.
async fn finished(mut done: tokio::sync::broadcast::Receiver<i64>, id: i64) {
    tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            match done.recv().await {
                Ok(finished) if finished == id => return,
                Ok(_) => continue,
                Err(e) => panic!("worker signals: {e}"),
            }
        }
    })
    .await
    .expect("the worker finishes the run within two minutes");
}

/// `serve --out DIR`: the server's queue worker writes a run asked over the API into DIR, not
/// into `out/` beside the configuration.
#[tokio::test]
async fn a_run_asked_over_the_api_writes_into_the_servers_output_folder() {
    let server = TestServer::start_setup(Setup {
        extra_venue: PROGRAMME_SOURCE,
        out_folder: Some("sorties"),
        ..Setup::default()
    })
    .await;
    write_sources(&server);
    let write = server.token("outil", "write", Some(VENUE), None).await;
    let done = worker::finished_jobs(&server.state);
    let response = reqwest::Client::new()
        .post(server.api(&format!("/organisations/{VENUE}/runs")))
        .bearer_auth(&write)
        .json(&json!({"month": "2025-11"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let queued: Value = response.json().await.unwrap();
    finished(done, queued["run_id"].as_i64().unwrap()).await;
    let folder = server
        .dir
        .path()
        .join("sorties")
        .join(VENUE)
        .join("2025-11");
    assert!(folder.join("cnm.json").exists(), "{}", folder.display());
    assert!(!server.dir.path().join("out").exists(), "nothing in out/");
}

#[tokio::test]
async fn a_run_asked_over_the_api_is_queued_worked_and_reported() {
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_sources(&server);
    let write = server.token("outil", "write", Some(VENUE), None).await;
    let read = server.token("lecture", "read", Some(VENUE), None).await;
    let other = server.token("autre", "write", Some(OTHER), None).await;
    let client = reqwest::Client::new();
    let runs = server.api(&format!("/organisations/{VENUE}/runs"));

    let done = worker::finished_jobs(&server.state);
    let response = client
        .post(&runs)
        .bearer_auth(&write)
        .json(&json!({"month": "2025-11"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let queued: Value = response.json().await.unwrap();
    assert_eq!(queued["status"], "queued");
    let id = queued["run_id"].as_i64().unwrap();
    finished(done, id).await;

    let run: Value = client
        .get(server.api(&format!("/runs/{id}")))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(run["run_id"], id);
    assert_eq!(run["organisation"], VENUE);
    assert_eq!(run["month"], "2025-11");
    // The same outcome as the CLI: 0 succeeded, 1 attention.
    let expected = match run["exit_status"].as_i64() {
        Some(0) => "succeeded",
        Some(1) => "attention",
        other => panic!("exit status {other:?}: {run}"),
    };
    assert_eq!(run["status"], expected, "{run}");
    assert!(run["requested_by"]
        .as_str()
        .unwrap()
        .contains("jeton « outil »"));

    // Its files went to out/ beside the configuration, and the API serves them.
    let folder = server.dir.path().join("out").join(VENUE).join("2025-11");
    let file = std::fs::read(folder.join("aggregates.json")).unwrap();
    let served = client
        .get(server.api(&format!("/organisations/{VENUE}/months/2025-11/aggregates")))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), file.as_slice());
    let cnm: Value = client
        .get(server.api(&format!(
            "/organisations/{VENUE}/months/2025-11/declarations/cnm"
        )))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cnm["lines"][0]["tax_due"], "6.63");

    // Refusals: read scope, another organisation, no token, a bad month, an unknown run.
    let post = |token: Option<String>, body: Value| {
        let mut r = client.post(&runs).json(&body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    let month = json!({"month": "2025-11"});
    assert_eq!(
        post(Some(read.clone()), month.clone())
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(Some(other.clone()), month.clone())
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(None, month).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = post(Some(write.clone()), json!({"month": "novembre"}))
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let status = |token: String, path: String| {
        let c = client.clone();
        let url = server.api(&path);
        async move { c.get(url).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(
        status(other, format!("/runs/{id}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(read.clone(), "/runs/999".into()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(read, "/runs/abc".into()).await,
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

/// `t_api_<pid>_<nanos>`: a schema of this test's own.
fn schema_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("t_api_{}_{nanos}", std::process::id())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_postgresql_share_twenty_queued_runs_without_running_one_twice() {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            eprintln!(
                "two_workers_on_postgresql…: SKIPPED, DATABASE_URL is not postgres://… \
                 (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it)"
            );
            return;
        }
    };
    sqlx::any::install_default_drivers();
    let schema = schema_name();
    let mut admin = sqlx::AnyConnection::connect(&url).await.unwrap();
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");

    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("releve.toml");
    std::fs::write(&config_path, config_text(&scoped, "", "")).unwrap();
    std::fs::write(
        dir.path().join("tickets.csv"),
        crate::support::TICKETS_HEADER,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tickets-large.csv"),
        crate::support::TICKETS_HEADER,
    )
    .unwrap();
    let config = Config::load(&config_path).unwrap();

    // Two servers' worth of state, each with its own pool: two processes sharing the queue.
    let clock = Arc::new(releve_domain::SystemClock);
    let first = AppState::new(
        config.clone(),
        Store::connect(&scoped).await.unwrap(),
        clock.clone(),
    )
    .unwrap();
    let second = AppState::new(config, Store::connect(&scoped).await.unwrap(), clock).unwrap();
    for org in &first.config().organisations {
        first
            .store()
            .upsert_organisation(&org.organisation)
            .await
            .unwrap();
    }
    let now = chrono::Utc::now();
    let mut queued = Vec::new();
    for org in [VENUE, OTHER] {
        for m in 3..=12 {
            let enqueued = first
                .store()
                .enqueue_job(
                    &JobRequest {
                        org: org.to_string(),
                        month: releve_domain::Month::new(2025, m).unwrap(),
                        kind: RUN_JOB.to_string(),
                        requested_by: "test".into(),
                        params: json!({}),
                    },
                    now,
                )
                .await
                .unwrap();
            assert!(enqueued.created);
            queued.push(enqueued.job.id);
        }
    }
    assert_eq!(queued.len(), 20);

    // Each worker works passes until the queue has nothing left for it, as `serve` does
    // between its looks at the queue (a pass can find every row locked by the other's claim).
    async fn work_until_drained(state: &AppState, label: &str) -> anyhow::Result<Vec<i64>> {
        let worker = Worker::this_process(label);
        let mut ran = Vec::new();
        loop {
            let pass = worker::work_available(state, &worker).await?;
            let queued = state
                .store()
                .jobs(None, None)
                .await?
                .iter()
                .any(|j| j.state == JobState::Queued);
            if pass.is_empty() && !queued {
                return Ok(ran);
            }
            ran.extend(pass);
            tokio::task::yield_now().await;
        }
    }
    let (a, b) = tokio::join!(
        work_until_drained(&first, "releve serve A"),
        work_until_drained(&second, "releve serve B"),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
    all.sort();
    queued.sort();
    // Each job ran exactly once, by one of the two workers.
    assert_eq!(all, queued, "worker A ran {a:?}, worker B ran {b:?}");
    for job in first.store().jobs(None, None).await.unwrap() {
        assert_eq!(job.attempts, 1, "job {} claimed twice", job.id);
        assert!(
            matches!(job.state, JobState::Succeeded | JobState::Attention),
            "job {}: {:?} {:?}",
            job.id,
            job.state,
            job.message
        );
    }
    // One run record per (organisation, month): no month computed twice.
    for org in [VENUE, OTHER] {
        let runs = first.store().runs(org).await.unwrap();
        let mut months: Vec<String> = runs
            .iter()
            .map(|r| {
                r.counts.as_ref().unwrap()["month"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        months.sort();
        let expected: Vec<String> = (3..=12).map(|m| format!("2025-{m:02}")).collect();
        assert_eq!(months, expected, "{org}");
    }
    eprintln!("worker A ran {} jobs, worker B ran {}", a.len(), b.len());
    first.store().close().await;
    second.store().close().await;
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .unwrap();
}
