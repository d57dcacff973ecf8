//! Crash consistency: `releve` is killed (abort at a named fault point, as hard as `kill -9`)
//! during import batches, between facts and outputs, while writing files, during an approval
//! and a submission record; then it is run again. (The submission outbox's kill points,
//! `submit.*`, are driven in `submit/mod.rs` against the local SIBIL, SACD and SMTP services;
//! the key rotation's in `credentials.rs`.) After each kill the re-run must give files
//! byte-identical to an uninterrupted run on a fresh database, with no ticket lost or doubled,
//! no temporary file left in the output folder, and the killed run's record left unfinished.
//!
//! The kill points are a fixed list plus picks from a seeded generator (seed below), so that a
//! failure is reproduced by running the test again. `RELEVE_CRASH_SEED` tries another seed.
//!
//! Every test runs on SQLite, and its `on_postgresql_…` twin runs the same kill points on
//! PostgreSQL when `DATABASE_URL` names a server (each scenario in a schema of its own; the
//! import is written 100 rows per statement there too, so that `import.batch:1…4` exist).

use crate::child::spawn;
use crate::concurrency::folder_bytes;
use crate::month_run::{november_programme, november_tickets};
use crate::pg;
use crate::support::*;
use releve_store::{RunOutcome, Store};
use releve_testkit::mutate::Rng;
use std::path::Path;

/// Where a scenario's database lives.
#[derive(Clone)]
enum Db {
    /// `releve.db` beside the configuration.
    Sqlite,
    /// A fresh schema on this PostgreSQL server for every scenario.
    Postgres(String),
}

/// A scenario and its database (the PostgreSQL schema is dropped with it).
struct Case {
    s: Scenario,
    url: String,
    _schema: Option<pg::Schema>,
}

impl std::ops::Deref for Case {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.s
    }
}

const SEED: u64 = 0x15_2026;

/// November with 380 more tickets for P1 (4 + 380 paid), so that the ticket import is written
/// in four statements of 100 rows and can be killed between them.
fn crash_scenario(db: &Db) -> Case {
    let mut s = Scenario::new();
    let (url, schema) = match db {
        Db::Sqlite => (format!("sqlite://{}", s.path("releve.db").display()), None),
        Db::Postgres(server) => {
            let schema = pg::Schema::new(server);
            let url = schema.url();
            s.extra_root_keys = format!("[database]\nurl = \"{url}\"\n\n");
            (url, Some(schema))
        }
    };
    let mut tickets = november_tickets();
    for i in 1..=380 {
        tickets += &ticket(
            &format!("T1-X{i:03}"),
            "P1",
            "Les Vagues",
            "2025-11-14 20:30",
            "Grande salle",
            "Plein tarif",
            "full",
            "18.00",
            "5.5",
            "valid",
        );
    }
    s.write("tickets.csv", tickets);
    s.write("programme.csv", november_programme("44306184100047"));
    Case {
        s,
        url,
        _schema: schema,
    }
}

fn args(s: &Scenario) -> Vec<String> {
    let config = s.write_config();
    vec![
        "run".into(),
        "--config".into(),
        config.display().to_string(),
        "--month".into(),
        "2025-11".into(),
        "--out".into(),
        s.path("out").display().to_string(),
        "--generated-at".into(),
        GENERATED_AT.into(),
    ]
}

fn approve_args(s: &Scenario) -> Vec<String> {
    let config = s.path("releve.toml").display().to_string();
    [
        "approve",
        "--config",
        &config,
        "--month",
        "2025-11",
        "--body",
        "cnm",
        "--by",
        "Claire Martin, administratrice",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

fn submitted_args(s: &Scenario) -> Vec<String> {
    let config = s.path("releve.toml").display().to_string();
    [
        "submitted",
        "--config",
        &config,
        "--month",
        "2025-11",
        "--body",
        "cnm",
        "--version",
        "1",
        "--by",
        "Claire Martin, administratrice",
        "--channel",
        "portail",
        "--receipt",
        "CNM-2025-11-0042",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

/// 100 rows per statement on both backends (PostgreSQL's default is 500).
const BATCH: (&str, &str) = ("RELEVE_TEST_BATCH_ROWS", "100");

fn run_ok(args: &[String]) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = spawn(&args, &[BATCH]).finish();
    assert!(
        matches!(done.status, Some(0)),
        "{args:?}\nstdout:\n{}\nstderr:\n{}",
        done.stdout,
        done.stderr
    );
}

/// Runs `args` with a kill at `point`; asserts the process died there.
fn run_killed(args: &[String], point: &str) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = spawn(&args, &[("RELEVE_TEST_KILL_AT", point), BATCH]).finish();
    assert_eq!(
        done.status, None,
        "{point}: the process should have been killed\nstdout:\n{}\nstderr:\n{}",
        done.stdout, done.stderr
    );
    assert!(
        done.stderr.contains(&format!("RELEVE_TEST_KILLED {point}")),
        "{point} was not reached:\n{}",
        done.stderr
    );
}

struct Stored {
    tickets: usize,
    runs: Vec<releve_store::RunRecord>,
    audit: Vec<releve_store::AuditEntry>,
}

fn stored(url: &str) -> Stored {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(url).await.unwrap();
        let from = releve_domain::calendar::parse_instant("2000-01-01 00:00").unwrap();
        let to = releve_domain::calendar::parse_instant("2100-01-01 00:00").unwrap();
        let stored = Stored {
            tickets: store
                .tickets_between("theatre-des-digues", from, to)
                .await
                .unwrap()
                .len(),
            runs: store.runs("theatre-des-digues").await.unwrap(),
            audit: store.audit_log("theatre-des-digues").await.unwrap(),
        };
        store.close().await;
        stored
    })
}

fn month_folder(s: &Scenario) -> std::path::PathBuf {
    s.path("out").join("theatre-des-digues").join("2025-11")
}

fn temporaries(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// The uninterrupted run on a fresh database, with the figures checked by hand once.
struct Reference {
    files: Vec<(String, Vec<u8>)>,
    tickets: usize,
}

fn reference(db: &Db) -> Reference {
    let s = crash_scenario(db);
    run_ok(&args(&s));
    let aggregates: serde_json::Value =
        serde_json::from_slice(&std::fs::read(month_folder(&s).join("aggregates.json")).unwrap())
            .unwrap();
    let p1 = performance(&aggregates, "tickets_csv:P1");
    // 383 × 18.00 = 6 894.00 at 5.5 % → 6 894 / 1.055 = 6 534.597… → 6 534.60;
    // 30.00 at 20 % → 25.00; paid 4 + 380 = 384, one invitation.
    assert_eq!(p1["paid_tickets"], 384);
    assert_eq!(p1["free_tickets"], 1);
    assert_eq!(p1["receipts_incl_vat"], "6924.00");
    assert_eq!(p1["receipts_excl_vat"], "6559.60");
    let stored = stored(&s.url);
    // 9 rows of the November file (P3 is December's but its ticket is stored) + 380.
    let rows = std::fs::read_to_string(s.path("tickets.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(stored.tickets, rows);
    Reference {
        files: folder_bytes(&month_folder(&s)),
        tickets: stored.tickets,
    }
}

/// The kill points of a monthly run: every step once, every import statement, and seeded
/// picks among the output files (before and after each rename).
fn run_kill_points(files: usize) -> Vec<String> {
    let mut points: Vec<String> = [
        "job.claimed:1",
        "import.batch:1",
        "import.batch:2",
        "import.batch:3",
        "import.batch:4",
        "import.flushed:1",
        "import.source:1",
        "import.source:2",
        "run.facts:1",
        "run.drafts:1",
        "run.outputs:1",
        "run.written:1",
        "job.finish:1",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let seed = std::env::var("RELEVE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut rng = Rng::new(seed);
    for point in ["outputs.temporary", "outputs.file"] {
        let mut picked = Vec::new();
        while picked.len() < 5 {
            let n = 1 + rng.below(files);
            if !picked.contains(&n) {
                picked.push(n);
            }
        }
        picked.sort();
        points.extend(picked.iter().map(|n| format!("{point}:{n}")));
    }
    points
}

fn check_after_rerun(s: &Case, reference: &Reference, point: &str, unfinished: usize) {
    let folder = month_folder(s);
    assert_eq!(temporaries(&folder), Vec::<String>::new(), "{point}");
    let files = folder_bytes(&folder);
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&files), names(&reference.files), "{point}");
    for ((name, bytes), (_, expected)) in files.iter().zip(&reference.files) {
        assert!(
            bytes == expected,
            "{point}: {name} differs from the uninterrupted run"
        );
    }
    let stored = stored(&s.url);
    assert_eq!(
        stored.tickets, reference.tickets,
        "{point}: tickets lost or doubled"
    );
    let open: Vec<_> = stored
        .runs
        .iter()
        .filter(|r| r.finished_at.is_none())
        .collect();
    assert_eq!(open.len(), unfinished, "{point}: {:#?}", stored.runs);
    assert!(open.iter().all(|r| r.outcome.is_none()));
    let last = stored.runs.last().expect("a run record");
    assert_eq!(last.outcome, Some(RunOutcome::Success), "{point}");
}

fn kill_then_rerun(db: &Db, points: &[String], reference: &Reference) {
    for point in points {
        let s = crash_scenario(db);
        let args = args(&s);
        run_killed(&args, point);
        if point.starts_with("outputs.temporary") {
            // Killed after writing n temporaries, before any rename: they are there…
            let n: usize = point.rsplit(':').next().unwrap().parse().unwrap();
            let left = temporaries(&month_folder(&s));
            assert_eq!(left.len(), n, "{point}: {left:?}");
            // …and so is one of a file the next run does not write at all (an amendment of an
            // earlier crash): the re-run must remove both.
            std::fs::write(month_folder(&s).join(".cnm-amendment.json.tmp"), "{").unwrap();
        }
        run_ok(&args);
        // Killed before its run record existed (at the claim) or after it was closed (just
        // before the job's end was recorded): no record left open.
        let unfinished = usize::from(!matches!(point.as_str(), "job.claimed:1" | "job.finish:1"));
        check_after_rerun(&s, reference, point, unfinished);
    }
}

#[test]
fn killed_runs_at_twenty_three_points_leave_nothing_lost_doubled_or_half_written() {
    killed_runs_at_twenty_three_points(&Db::Sqlite);
}

#[test]
fn on_postgresql_killed_runs_at_twenty_three_points_leave_nothing_lost_doubled_or_half_written() {
    if let Some(server) = pg::server_url("crash::on_postgresql_killed_runs") {
        killed_runs_at_twenty_three_points(&Db::Postgres(server));
    }
}

fn killed_runs_at_twenty_three_points(db: &Db) {
    let reference = reference(db);
    let points = run_kill_points(reference.files.len());
    assert_eq!(points.len(), 23);
    kill_then_rerun(db, &points, &reference);
}

#[test]
fn three_kills_in_a_row_then_a_run_give_the_uninterrupted_files() {
    three_kills_in_a_row(&Db::Sqlite);
}

#[test]
fn on_postgresql_three_kills_in_a_row_then_a_run_give_the_uninterrupted_files() {
    if let Some(server) = pg::server_url("crash::on_postgresql_three_kills") {
        three_kills_in_a_row(&Db::Postgres(server));
    }
}

fn three_kills_in_a_row(db: &Db) {
    let reference = reference(db);
    let s = crash_scenario(db);
    let args = args(&s);
    for point in ["import.batch:2", "run.drafts:1", "outputs.temporary:3"] {
        run_killed(&args, point);
    }
    run_ok(&args);
    check_after_rerun(&s, &reference, "three kills", 3);
}

#[test]
fn killed_approvals_and_submission_records_are_all_or_nothing() {
    killed_approvals_and_submission_records(&Db::Sqlite);
}

#[test]
fn on_postgresql_killed_approvals_and_submission_records_are_all_or_nothing() {
    if let Some(server) = pg::server_url("crash::on_postgresql_killed_approvals") {
        killed_approvals_and_submission_records(&Db::Postgres(server));
    }
}

fn killed_approvals_and_submission_records(db: &Db) {
    for point in ["approve.commit:1", "approve.done:1"] {
        let s = crash_scenario(db);
        run_ok(&args(&s));
        run_killed(&approve_args(&s), point);
        let audit = stored(&s.url).audit;
        let approvals = audit.iter().filter(|e| e.action == "approve").count();
        // Killed before the commit: nothing; after it: the whole approval.
        assert_eq!(approvals, usize::from(point == "approve.done:1"), "{point}");
        if approvals == 0 {
            run_ok(&approve_args(&s));
        } else {
            // Approving again is refused (it is no longer a draft), the approval stands.
            let args: Vec<String> = approve_args(&s);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let again = spawn(&args, &[]).finish();
            assert_eq!(again.status, Some(2), "{}", again.stderr);
        }
        let audit = stored(&s.url).audit;
        assert_eq!(
            audit.iter().filter(|e| e.action == "approve").count(),
            1,
            "{point}"
        );
    }
    for point in ["submitted.commit:1", "submitted.done:1"] {
        let s = crash_scenario(db);
        run_ok(&args(&s));
        run_ok(&approve_args(&s));
        run_killed(&submitted_args(&s), point);
        let recorded = stored(&s.url)
            .audit
            .iter()
            .filter(|e| e.action == "submit")
            .count();
        assert_eq!(
            recorded,
            usize::from(point == "submitted.done:1"),
            "{point}"
        );
        if recorded == 0 {
            run_ok(&submitted_args(&s));
        }
        let audit = stored(&s.url).audit;
        assert_eq!(
            audit.iter().filter(|e| e.action == "submit").count(),
            1,
            "{point}"
        );
    }
}

/// November with 12,000 more tickets for P1, in three import batches of 5,000 (the last one
/// partial): each batch is one transaction of 50 statements on SQLite.
fn large_import_scenario() -> Case {
    let s = Scenario::new();
    let mut tickets = november_tickets();
    for i in 1..=12_000 {
        let (category, kind, price, status) = match i % 10 {
            0 => ("Invitation", "free", "0", "valid"),
            1 => ("Tarif réduit", "reduced", "12.50", "refunded"),
            _ => ("Plein tarif", "full", "18.00", "valid"),
        };
        let rate = if price == "0" { "" } else { "5.5" };
        tickets += &ticket(
            &format!("T1-L{i:05}"),
            "P1",
            "Les Vagues",
            "2025-11-14 20:30",
            "Grande salle",
            category,
            kind,
            price,
            rate,
            status,
        );
    }
    s.write("tickets.csv", tickets);
    s.write("programme.csv", november_programme("44306184100047"));
    let url = format!("sqlite://{}", s.path("releve.db").display());
    Case {
        s,
        url,
        _schema: None,
    }
}

/// (tickets, sum of their revisions, tickets with a content hash) in the scenario's database.
fn ledger(dir: &Path) -> (i64, i64, i64) {
    use sqlx::{Connection, Row};
    let url = format!("sqlite://{}", dir.join("releve.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS revisions, \
             COUNT(content_hash) AS hashed FROM tickets",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        let figures = (
            row.get::<i64, _>("n"),
            row.get::<i64, _>("revisions"),
            row.get::<i64, _>("hashed"),
        );
        conn.close().await.unwrap();
        figures
    })
}

#[test]
fn a_large_import_killed_between_and_inside_batches_loses_and_rewrites_nothing() {
    let fresh = large_import_scenario();
    run_ok(&args(&fresh));
    let reference = Reference {
        files: folder_bytes(&month_folder(&fresh)),
        tickets: stored(&fresh.url).tickets,
    };
    // Every row of the file (the November file's and the 12,000), one revision each.
    let rows = std::fs::read_to_string(fresh.path("tickets.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(rows > 12_000);
    assert_eq!(reference.tickets, rows);
    let all = rows as i64;
    assert_eq!(ledger(fresh.dir.path()), (all, all, all));

    let s = large_import_scenario();
    let args = args(&s);
    // After the first batch's commit: 5,000 tickets are stored…
    run_killed(&args, "import.flushed:1");
    assert_eq!(ledger(s.dir.path()), (5_000, 5_000, 5_000));
    // …then killed inside the second batch (statement 10 of its 50): its transaction is lost
    // whole, the first batch's rows are found unchanged (not rewritten: revision 1).
    run_killed(&args, "import.batch:60");
    assert_eq!(ledger(s.dir.path()), (5_000, 5_000, 5_000));
    run_ok(&args);
    // Every ticket once, none rewritten, the files of the uninterrupted run.
    assert_eq!(ledger(s.dir.path()), (all, all, all));
    check_after_rerun(&s, &reference, "large import", 2);
}
