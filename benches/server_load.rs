//! Load on the server: `LOAD_CLIENTS` (default 50) clients for `LOAD_SECONDS` (default 60)
//! on loopback against `releve serve`, started as a child process on a fresh SQLite
//! database (or a fresh PostgreSQL schema with `LOAD_DATABASE_URL=postgres://…`, created and
//! dropped with `psql`), after one `releve run` of November 2025.
//!
//! Run with `cargo bench --bench server_load` (release profile); a plain program
//! (`harness = false`) that `cargo test` never runs, and not in CI. Each client signs in to the
//! workspace once, then loops over a fixed mix of ten requests:
//!
//! - 4 API reads with a `read` token: the month, its CNM declaration, its aggregates, its
//!   points to check (`GET /api/v1/organisations/{org}/months/2025-11…`);
//! - 4 workspace pages with the session cookie: the dashboard, the month, the CNM declaration
//!   page, the work list;
//! - 2 vendor pushes with a `push` token: 5 new tickets each, under a new `Idempotency-Key`.
//!
//! It reports latency percentiles (p50/p95/p99) per kind and overall, throughput, errors
//! (a transport error or any status other than 200), the server's peak resident memory
//! (`VmHWM`) and CPU time (`/proc/PID/stat`), and at the end checks the ledger: exactly the
//! pushed tickets, none lost or doubled. The rate limit per token is raised for the run
//! (`[server] api_requests_per_minute`), since a few tokens carry every client's requests.
//! `LOAD_KINDS=api,page` leaves out the pushes (any subset of `api`, `page`, `push`).
//! Results go to `docs/reliability.md` ("Load on the server").

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ORG: &str = "theatre-des-digues";
const RELEVE: &str = env!("CARGO_BIN_EXE_releve");

fn main() {
    let clients: usize = env_number("LOAD_CLIENTS", 50);
    let seconds: u64 = env_number("LOAD_SECONDS", 60) as u64;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = match std::env::var("LOAD_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => Database::postgres(&url),
        _ => Database::Sqlite(format!(
            "sqlite://{}",
            dir.path().join("releve.db").display()
        )),
    };
    let config = write_scenario(dir.path(), &database.url());
    let out = dir.path().join("out");
    let run = releve(&[
        "run",
        "--config",
        &config,
        "--month",
        "2025-11",
        "--out",
        &out.display().to_string(),
        "--generated-at",
        "2025-12-05T09:00:00+01:00",
    ]);
    assert!(run.status.code().is_some_and(|c| c <= 1), "run: {run:?}");
    let read_token = token(&config, "lecture", "read");
    let push_token = token(&config, "billetterie", "push");
    let password = "charge-du-serveur-2025";
    let mut add = Command::new(RELEVE)
        .args([
            "user",
            "add",
            "--config",
            &config,
            "--email",
            "marie@digues.example",
            "--org",
            ORG,
            "--role",
            "viewer",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{password}").unwrap();
    assert!(add.wait().unwrap().success(), "user add");

    let mut server = Command::new(RELEVE)
        .args([
            "serve",
            "--config",
            &config,
            "--listen",
            "127.0.0.1:0",
            "--out",
            &out.display().to_string(),
        ])
        .env("RELEVE_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("releve serve");
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("serve said {first:?}"))
        .to_string();
    let pid = server.id();
    let cpu_before = cpu_seconds(pid);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let kinds = std::env::var("LOAD_KINDS").unwrap_or_else(|_| "api,page,push".into());
    let shared = Arc::new(Shared {
        kinds: kinds.split(',').map(|k| k.trim().to_string()).collect(),
        base,
        read_token,
        push_token,
        password: password.to_string(),
    });
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let results: Vec<ClientResult> = runtime.block_on(async {
        let tasks: Vec<_> = (0..clients)
            .map(|c| tokio::spawn(client(shared.clone(), c, deadline)))
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        results
    });
    let elapsed = started.elapsed();
    let (peak_kb, rss_kb, threads) = memory_kb(pid);
    let cpu = cpu_seconds(pid) - cpu_before;
    let _ = server.kill();
    let _ = server.wait();

    let pushed: usize = results.iter().map(|r| r.pushed).sum();
    let stored = runtime.block_on(stored_push_tickets(&database.url()));
    database.drop_schema();
    println!("server threads at the end: {threads}");
    report(
        clients, elapsed, &results, peak_kb, rss_kb, cpu, pushed, stored,
    );
}

struct Shared {
    /// The kinds of request sent (`LOAD_KINDS=api,page,push`, all by default).
    kinds: Vec<String>,
    base: String,
    read_token: String,
    push_token: String,
    password: String,
}

#[derive(Default)]
struct ClientResult {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: Vec<String>,
    /// Tickets this client's pushes had accepted.
    pushed: usize,
}

async fn client(shared: Arc<Shared>, c: usize, deadline: Instant) -> ClientResult {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut result = ClientResult::default();
    let cookie = match sign_in(&http, &shared).await {
        Ok(cookie) => cookie,
        Err(e) => {
            result.errors.push(format!("client {c}: sign-in: {e}"));
            return result;
        }
    };
    let api = format!("{}/api/v1/organisations/{ORG}", shared.base);
    let mut n = 0usize;
    while Instant::now() < deadline {
        let op = (c + n) % 10;
        n += 1;
        let (kind, label, request) = match op {
            0 => (
                "api",
                "api month",
                http.get(format!("{api}/months/2025-11")),
            ),
            1 => (
                "api",
                "api cnm",
                http.get(format!("{api}/months/2025-11/declarations/cnm")),
            ),
            2 => (
                "api",
                "api aggregates",
                http.get(format!("{api}/months/2025-11/aggregates")),
            ),
            3 => (
                "api",
                "api issues",
                http.get(format!("{api}/months/2025-11/issues")),
            ),
            4 => (
                "page",
                "page dashboard",
                http.get(format!("{}/", shared.base)),
            ),
            5 => (
                "page",
                "page month",
                http.get(format!("{}/o/{ORG}/2025-11", shared.base)),
            ),
            6 => (
                "page",
                "page cnm",
                http.get(format!("{}/o/{ORG}/2025-11/cnm", shared.base)),
            ),
            7 => (
                "page",
                "page work list",
                http.get(format!("{}/o/{ORG}/2025-11/a-traiter", shared.base)),
            ),
            _ => ("push", "push", push_request(&http, &api, c, n)),
        };
        if !shared.kinds.iter().any(|k| k == kind) {
            continue;
        }
        let request = match kind {
            "api" => request.bearer_auth(&shared.read_token),
            "page" => request.header("cookie", &cookie),
            _ => request.bearer_auth(&shared.push_token),
        };
        let sent = Instant::now();
        let answer = request.send().await;
        let outcome = match answer {
            Ok(response) => {
                let status = response.status();
                let body = response.bytes().await;
                match (status.as_u16(), body) {
                    (200, Ok(bytes)) => {
                        if kind == "push" {
                            let answer: serde_json::Value =
                                serde_json::from_slice(&bytes).unwrap_or_default();
                            result.pushed += answer["accepted"].as_u64().unwrap_or(0) as usize;
                        }
                        Ok(())
                    }
                    (code, _) => Err(format!("{kind} {op}: status {code}")),
                }
            }
            Err(e) => Err(format!("{kind} {op}: {e}")),
        };
        result
            .latencies
            .entry(label)
            .or_default()
            .push(sent.elapsed());
        if let Err(e) = outcome {
            result.errors.push(e);
        }
    }
    result
}

/// 5 new tickets (ids unique to this client and request) for P1 of November.
fn push_request(http: &reqwest::Client, api: &str, c: usize, n: usize) -> reqwest::RequestBuilder {
    let tickets: Vec<serde_json::Value> = (0..5)
        .map(|k| {
            serde_json::json!({"ticket_id": format!("L{c}-{n}-{k}"), "performance_id": "P1",
                "show_title": "Les Vagues", "starts_at": "2025-11-14 20:30",
                "venue_name": "Grande salle", "price_incl_vat": "18.00", "vat_rate": "5.5",
                "status": "valid", "price_kind": "full"})
        })
        .collect();
    http.post(format!("{api}/tickets"))
        .header("Idempotency-Key", format!("charge-{c}-{n}"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"source": "guichet", "tickets": tickets}).to_string())
}

async fn sign_in(http: &reqwest::Client, shared: &Shared) -> Result<String, String> {
    let form = http
        .get(format!("{}/connexion", shared.base))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let mut cookies = cookies_of(form.headers());
    let html = form.text().await.map_err(|e| e.to_string())?;
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).ok_or("no csrf field")? + marker.len();
    let csrf = html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string();
    let answer = http
        .post(format!("{}/connexion", shared.base))
        .header("cookie", cookies.join("; "))
        .form(&[
            ("email", "marie@digues.example"),
            ("password", shared.password.as_str()),
            ("csrf", csrf.as_str()),
            ("suite", "/"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !answer.status().is_redirection() {
        return Err(format!("sign-in answered {}", answer.status()));
    }
    for cookie in cookies_of(answer.headers()) {
        let name = cookie.split('=').next().unwrap_or_default().to_string();
        cookies.retain(|c| !c.starts_with(&format!("{name}=")));
        cookies.push(cookie);
    }
    Ok(cookies.join("; "))
}

fn cookies_of(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| !v.contains("Max-Age=0"))
        .filter_map(|v| v.split(';').next().map(str::to_string))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn report(
    clients: usize,
    elapsed: Duration,
    results: &[ClientResult],
    peak_kb: u64,
    rss_kb: u64,
    cpu: f64,
    pushed: usize,
    stored: usize,
) {
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for r in results {
        for (kind, latencies) in &r.latencies {
            by_kind.entry(kind).or_default().extend(latencies);
        }
    }
    let mut all: Vec<Duration> = by_kind.values().flatten().copied().collect();
    let errors: Vec<&String> = results.iter().flat_map(|r| &r.errors).collect();
    println!(
        "{clients} clients, {:.1} s, {} requests, {:.0} requests/s, {} errors",
        elapsed.as_secs_f64(),
        all.len(),
        all.len() as f64 / elapsed.as_secs_f64(),
        errors.len()
    );
    println!("\n| kind | requests | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|");
    for (kind, latencies) in by_kind.iter_mut() {
        row(kind, latencies);
    }
    row("all", &mut all);
    println!(
        "\nserver: peak resident memory {} MB (at the end {} MB), CPU time {cpu:.1} s \
         ({:.0} % of one core)",
        peak_kb / 1024,
        rss_kb / 1024,
        100.0 * cpu / elapsed.as_secs_f64()
    );
    println!("pushed tickets accepted: {pushed}; in the ledger: {stored}");
    for e in errors.iter().take(20) {
        println!("error: {e}");
    }
    if pushed != stored || !errors.is_empty() {
        std::process::exit(1);
    }
}

fn row(kind: &str, latencies: &mut [Duration]) {
    latencies.sort();
    let at = |p: f64| {
        if latencies.is_empty() {
            return 0.0;
        }
        // Nearest rank.
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1].as_secs_f64() * 1000.0
    };
    println!(
        "| {kind} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
        latencies.len(),
        at(50.0),
        at(95.0),
        at(99.0),
        at(100.0)
    );
}

/// The tickets of the push source in the ledger.
async fn stored_push_tickets(url: &str) -> usize {
    let store = releve_store::Store::connect(url).await.unwrap();
    let from = releve_domain::calendar::parse_instant("2000-01-01 00:00").unwrap();
    let to = releve_domain::calendar::parse_instant("2100-01-01 00:00").unwrap();
    let n = store
        .tickets_between(ORG, from, to)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.source == "guichet")
        .count();
    store.close().await;
    n
}

enum Database {
    Sqlite(String),
    Postgres { server: String, schema: String },
}

impl Database {
    fn postgres(server: &str) -> Database {
        let schema = format!("load_{}", std::process::id());
        psql(server, &format!("CREATE SCHEMA {schema}"));
        Database::Postgres {
            server: server.to_string(),
            schema,
        }
    }

    fn url(&self) -> String {
        match self {
            Database::Sqlite(url) => url.clone(),
            Database::Postgres { server, schema } => {
                let separator = if server.contains('?') { '&' } else { '?' };
                format!("{server}{separator}options=-c%20search_path%3D{schema}")
            }
        }
    }

    fn drop_schema(&self) {
        if let Database::Postgres { server, schema } = self {
            psql(server, &format!("DROP SCHEMA {schema} CASCADE"));
        }
    }
}

fn psql(server: &str, sql: &str) {
    let done = Command::new("psql")
        .args([server, "-q", "-c", sql])
        .status()
        .expect("psql");
    assert!(done.success(), "psql {sql}");
}

/// The November scenario: 40 tickets of one performance, its programme row, a push source.
fn write_scenario(dir: &Path, database_url: &str) -> String {
    let mut tickets = String::from(
        "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,venue_city,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at\n",
    );
    for i in 0..40 {
        tickets += &format!("T{i},P1,VAGUES,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,valid,2025-10-01T10:00:00+02:00\n");
    }
    std::fs::write(dir.join("tickets.csv"), tickets).unwrap();
    std::fs::write(
        dir.join("programme.csv"),
        "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;venue_type;capacity;discipline;audience;producer_name;producer_siret;producer_subsidised;free_admission;cession_price_excl_vat;creation;cancelled;sacem\n\
         P1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;200;chanson_variete;tout_public;Cie du Port;;yes;;;;\n",
    )
    .unwrap();
    let config = format!(
        r#"[database]
url = "{database_url}"

[registry]
enabled = false

[server]
api_requests_per_minute = 10000000

[[organisation]]
slug = "{ORG}"
name = "Théâtre des Digues"
siret = "81234567600009"
licence = "PLATESV-D-2021-001234"
subsidised = true
postal_code = "44000"
city = "Nantes"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"

  [[organisation.source]]
  kind = "push"
  name = "guichet"
"#
    );
    let path = dir.join("releve.toml");
    std::fs::write(&path, config).unwrap();
    path.display().to_string()
}

fn releve(args: &[&str]) -> std::process::Output {
    Command::new(RELEVE)
        .args(args)
        .env("RELEVE_LOG", "warn")
        .output()
        .expect("releve")
}

/// `releve token create`; the token is the printed word starting with `rlv_`.
fn token(config: &str, name: &str, scope: &str) -> String {
    let done = releve(&[
        "token", "create", "--config", config, "--name", name, "--scope", scope, "--org", ORG,
    ]);
    let text = String::from_utf8_lossy(&done.stdout).into_owned();
    text.split_whitespace()
        .find(|w| w.starts_with("rlv_"))
        .unwrap_or_else(|| panic!("no token in {text:?} {:?}", done.stderr))
        .to_string()
}

/// (peak, current) resident memory of a process, in kB, and its threads.
fn memory_kb(pid: u32) -> (u64, u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"), field("Threads:"))
}

/// User + system CPU time of a process, in seconds (clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command name in parentheses: fields 14 and 15 of the line are utime, stime.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
