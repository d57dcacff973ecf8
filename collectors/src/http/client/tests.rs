use super::*;
use crate::http::{RecordingSleeper, TokioSleeper};
use crate::replay::{ReplayServer, Reply, Route, Script};
use chrono::TimeZone;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 8, 0, 0).unwrap()
}

fn client(sleeper: Arc<RecordingSleeper>) -> HttpClient {
    let mut config = HttpConfig::with_rate_limit(RateLimit::new(1000, Duration::from_secs(1)));
    config.base_backoff = Duration::from_secs(2);
    HttpClient::new("testvendor", config, sleeper)
}

async fn get(c: &HttpClient, url: &str) -> Result<HttpReply, HttpError> {
    let req = c.reqwest().get(url).build().unwrap();
    c.send("/things", req).await
}

#[tokio::test]
async fn retries_429_honouring_retry_after_seconds_then_succeeds() {
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/things")
                .reply(Reply::json(429, "{}").header("Retry-After", "7"))
                .reply(Reply::json(200, "[1]")),
        ),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let c = client(sleeper.clone());
    let url = format!("{}/things?key=SECRETKEY&page=1", server.base_url());
    let reply = get(&c, &url).await.unwrap();
    assert_eq!(reply.body, "[1]");
    assert_eq!(
        reply.request,
        format!("GET {}/things?key=***&page=1", server.base_url())
    );
    assert!(!reply.request.contains("SECRETKEY"));
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(7)]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_as_http_date_is_relative_to_the_wall_clock() {
    // t0 = 08:00:00 UTC; the date says 08:00:30 GMT → wait 30 s.
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/things")
                .reply(Reply::json(503, "").header("Retry-After", "Sun, 01 Feb 2026 08:00:30 GMT"))
                .reply(Reply::json(200, "ok")),
        ),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let reply = get(
        &client(sleeper.clone()),
        &format!("{}/things", server.base_url()),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(30)]);
}

#[tokio::test]
async fn server_errors_back_off_exponentially_then_give_up() {
    let server = ReplayServer::start(
        Script::new().route(Route::get("/things").reply(Reply::json(500, "boom"))),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let err = get(
        &client(sleeper.clone()),
        &format!("{}/things", server.base_url()),
    )
    .await
    .unwrap_err();
    // 4 attempts, 3 waits: 2 s, 4 s, 8 s.
    assert_eq!(
        sleeper.delays(),
        vec![
            Duration::from_secs(2),
            Duration::from_secs(4),
            Duration::from_secs(8)
        ]
    );
    assert!(matches!(
        err,
        HttpError::Server {
            status: 500,
            attempts: 4,
            ..
        }
    ));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("testvendor"), "{err}");
}

#[tokio::test]
async fn unauthorized_is_not_retried() {
    let server = ReplayServer::start(
        Script::new().route(Route::get("/things").reply(Reply::json(401, "{}"))),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let err = get(
        &client(sleeper.clone()),
        &format!("{}/things", server.base_url()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, HttpError::Unauthorized { status: 401, .. }));
    assert!(!err.is_retryable());
    assert!(sleeper.delays().is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn throttle_check_turns_a_200_body_into_a_retry() {
    fn check(_: u16, body: &str) -> Option<&'static str> {
        body.contains("rate_limiting").then_some("limite d'appels")
    }
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/things")
                .reply(Reply::json(200, "{\"error\":\"rate_limiting\"}"))
                .reply(Reply::json(200, "[]")),
        ),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let c = client(sleeper.clone()).with_throttle_check(check);
    let reply = get(&c, &format!("{}/things", server.base_url()))
        .await
        .unwrap();
    assert_eq!(reply.body, "[]");
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn the_rate_limiter_spaces_calls_beyond_the_burst() {
    let server = ReplayServer::start(
        Script::new().route(Route::get("/things").reply(Reply::json(200, "[]"))),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    // 2 calls per 10 s: interval 5 s, burst 2 → the third call waits 5 s.
    let config = HttpConfig::with_rate_limit(RateLimit::new(2, Duration::from_secs(10)));
    let c = HttpClient::new("testvendor", config, sleeper.clone());
    for _ in 0..3 {
        get(&c, &format!("{}/things", server.base_url()))
            .await
            .unwrap();
    }
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(5)]);
}

#[tokio::test]
async fn unreachable_host_is_a_transport_error_without_secrets() {
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let mut config = HttpConfig::with_rate_limit(RateLimit::new(100, Duration::from_secs(1)));
    config.max_attempts = 2;
    let c = HttpClient::new("testvendor", config, sleeper.clone());
    // Port 9 on localhost: nothing listens (connection refused), no network reached.
    let err = get(&c, "http://127.0.0.1:9/things?token=TOPSECRET")
        .await
        .unwrap_err();
    assert!(
        matches!(err, HttpError::Transport { attempts: 2, .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("TOPSECRET"));
    let _ = TokioSleeper;
}

#[test]
fn parses_retry_after_forms() {
    assert_eq!(parse_retry_after("12", t0()), Some(Duration::from_secs(12)));
    assert_eq!(
        parse_retry_after("Sun, 01 Feb 2026 07:59:00 GMT", t0()),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", t0()), None);
}

/// Log lines captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Log capture must run alone: tracing caches per call site whether anyone listens, and tests
/// on other threads hitting the same call sites without a subscriber can make this one miss
/// events. The test re-runs itself in a child process that runs nothing else.
#[test]
fn logs_carry_request_ids_but_never_secrets() {
    if std::env::var_os("RELEVE_LOG_CAPTURE_CHILD").is_some() {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(capture_logs_of_a_retried_call());
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "http::client::tests::logs_carry_request_ids_but_never_secrets",
            "--test-threads",
            "1",
        ])
        .env("RELEVE_LOG_CAPTURE_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "the child ran the test: {stdout}"
    );
}

async fn capture_logs_of_a_retried_call() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/things")
                .reply(Reply::json(500, "{}"))
                .reply(Reply::json(200, "[]")),
        ),
    )
    .await
    .unwrap();
    let sleeper = Arc::new(RecordingSleeper::new(t0()));
    let c = client(sleeper);
    let req = c
        .reqwest()
        .get(format!(
            "{}/things?key=K3Y-SECRET&token=T0K3N&page=1",
            server.base_url()
        ))
        .bearer_auth("B3ARER-SECRET")
        .build()
        .unwrap();
    c.send("/things", req).await.unwrap();
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("request_id=testvendor-00001"), "{text}");
    assert!(text.contains("retrying"), "{text}");
    for secret in ["K3Y-SECRET", "T0K3N", "B3ARER-SECRET"] {
        assert!(!text.contains(secret), "{secret} logged:\n{text}");
    }
}
