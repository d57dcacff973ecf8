//! PostgreSQL going away in the middle of a run. The shared server is never stopped (other
//! tests use it): `releve` talks to it through a TCP proxy of the test's own, which the test
//! cuts while the run is paused at a fault point — every open connection is closed and new
//! ones are closed at once, as a stopped server or a cut network would — then restores.
//! The run must fail with a clear French message and exit status 2 (`formats.md` §1: could
//! not run), leave nothing half-written, and the run after the server is back must give the
//! files of an uninterrupted run.

use crate::child::spawn;
use crate::concurrency::{folder_bytes, run_args};
use crate::month_run::november;
use crate::pg;
use releve_store::{JobState, Store};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP proxy on 127.0.0.1 in front of `upstream`, on a thread and runtime of its own.
struct Proxy {
    pub port: u16,
    up: Arc<AtomicBool>,
    /// Bumped at each cut: the copying tasks of the connections open then end.
    cuts: watch::Sender<u64>,
    _runtime: tokio::runtime::Runtime,
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (cuts, watch_cuts) = watch::channel(0u64);
        let upstream = upstream.to_string();
        let accepting = up.clone();
        runtime.spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    continue;
                };
                if !accepting.load(Ordering::SeqCst) {
                    // The server is "down": the connection closes before any answer.
                    let _ = client.shutdown().await;
                    continue;
                }
                let upstream = upstream.clone();
                let mut cut = watch_cuts.clone();
                cut.mark_unchanged();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                    // Dropped: both sockets close, mid-conversation.
                });
            }
        });
        Proxy {
            port,
            up,
            cuts,
            _runtime: runtime,
        }
    }

    /// The server goes away: open connections are closed, new ones refused.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    /// The server is back.
    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// `postgres://user@127.0.0.1:5432/db` → (`127.0.0.1:5432`, the same URL with `port` instead).
fn via_port(server: &str, port: u16) -> (String, String) {
    let (scheme, rest) = server.split_once("://").unwrap();
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, hp)) => (format!("{user}@"), hp),
        None => (String::new(), authority),
    };
    let host_port = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    };
    let host = host_port.rsplit_once(':').unwrap().0;
    (
        host_port.clone(),
        format!("{scheme}://{user}{host}:{port}{tail}"),
    )
}

#[test]
fn on_postgresql_a_server_going_away_mid_run_fails_cleanly_and_the_next_run_completes() {
    let Some(server) = pg::server_url("pg_outage::on_postgresql_a_server_going_away") else {
        return;
    };
    // The uninterrupted run, on a fresh schema of its own.
    let clean_schema = pg::Schema::new(&server);
    let mut clean = november();
    clean.extra_root_keys = format!("[database]\nurl = \"{}\"\n\n", clean_schema.url());
    let done = clean.run_month("2025-11");
    done.assert_status(0);
    let expected = folder_bytes(&done.folder("2025-11"));

    let (upstream, _) = via_port(&server, 0);
    let proxy = Proxy::start(&upstream);
    let (_, proxied) = via_port(&server, proxy.port);
    let schema = pg::Schema::new(&server);
    let mut s = november();
    s.extra_root_keys = format!("[database]\nurl = \"{}\"\n\n", schema.url_via(&proxied));
    let config = s.write_config();
    let out = s.path("out");
    let args = run_args(config.to_str().unwrap(), out.to_str().unwrap());
    let folder = out.join("theatre-des-digues").join("2025-11");

    // Sources imported, facts built, nothing recorded of the drafts yet, no file written.
    let mut run = spawn(&args, &[("RELEVE_TEST_PAUSE_AT", "run.facts")]);
    run.wait_stderr("RELEVE_TEST_PAUSED run.facts");
    proxy.cut();
    run.release();
    let failed = run.finish();
    assert_eq!(
        failed.status,
        Some(2),
        "could not run: exit 2\nstdout:\n{}\nstderr:\n{}",
        failed.stdout,
        failed.stderr
    );
    let last = failed.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(
            "erreur : connexion à la base de données perdue en cours de travail (serveur arrêté \
             ou redémarré, réseau coupé) : l'écriture en cours a été annulée en entier, rien \
             n'est enregistré à moitié. Relancez la commande quand la base répond de nouveau"
        ),
        "{}",
        failed.stderr
    );
    assert!(!failed.stderr.contains("panicked"), "{}", failed.stderr);
    // Nothing half-written: no file at all in the month's folder (not even a temporary).
    let written: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");

    // The server is back: the next run takes the job the failed one left and completes it.
    proxy.restore();
    let again = spawn(&args, &[]).finish();
    assert_eq!(
        again.status,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        again.stdout,
        again.stderr
    );
    assert_eq!(folder_bytes(&folder), expected);
    let url = schema.url();
    let (jobs, runs, tickets, clean_tickets) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let from = releve_domain::calendar::parse_instant("2000-01-01 00:00").unwrap();
            let to = releve_domain::calendar::parse_instant("2100-01-01 00:00").unwrap();
            let store = Store::connect(&url).await.unwrap();
            let jobs = store.jobs(None, None).await.unwrap();
            let runs = store.runs("theatre-des-digues").await.unwrap();
            let tickets = store
                .tickets_between("theatre-des-digues", from, to)
                .await
                .unwrap()
                .len();
            store.close().await;
            let store = Store::connect(&clean_schema.url()).await.unwrap();
            let clean_tickets = store
                .tickets_between("theatre-des-digues", from, to)
                .await
                .unwrap()
                .len();
            store.close().await;
            (jobs, runs, tickets, clean_tickets)
        });
    // One job, taken again by the second run (its first holder's process is gone).
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    assert_eq!(jobs[0].state, JobState::Succeeded);
    assert_eq!(jobs[0].attempts, 2);
    // The cut run's record stayed open (it could not be closed without the server); the
    // second one succeeded.
    assert_eq!(runs.len(), 2, "{runs:#?}");
    assert!(runs[0].finished_at.is_none() && runs[0].outcome.is_none());
    assert_eq!(runs[1].outcome, Some(releve_store::RunOutcome::Success));
    // The tickets imported before the cut are not doubled by the second import.
    assert_eq!(tickets, clean_tickets);
}

#[test]
fn proxy_addresses_keep_the_user_database_and_options() {
    assert_eq!(
        via_port("postgres://postgres@127.0.0.1:5432/test", 40001),
        (
            "127.0.0.1:5432".to_string(),
            "postgres://postgres@127.0.0.1:40001/test".to_string()
        )
    );
    assert_eq!(
        via_port("postgres://localhost/test?sslmode=disable", 7),
        (
            "localhost:5432".to_string(),
            "postgres://localhost:7/test?sslmode=disable".to_string()
        )
    );
}
