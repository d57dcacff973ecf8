//! Runs at the same time (`formats.md` §1): every `releve run` goes through the store's job
//! queue, so two processes never compute one organisation's month at once; the second waits,
//! then says which process ran it; a crashed run is taken again at once. Synchronised on fault
//! points and printed lines, never on sleeps.

use crate::child::{spawn, Finished};
use crate::month_run::november;
use crate::pg;
use crate::support::*;
use releve_store::{JobState, Store};
use std::path::{Path, PathBuf};

pub fn run_args<'a>(config: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "run",
        "--config",
        config,
        "--month",
        "2025-11",
        "--out",
        out,
        "--generated-at",
        GENERATED_AT,
    ]
}

fn assert_exit(run: &Finished, expected: i32) {
    assert_eq!(
        run.status,
        Some(expected),
        "exit status\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
}

/// The jobs recorded in the scenario's database (`releve.db` beside the configuration).
fn jobs(dir: &Path) -> Vec<releve_store::Job> {
    let url = format!("sqlite://{}", dir.join("releve.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let jobs = store.jobs(None, None).await.unwrap();
        store.close().await;
        jobs
    })
}

/// Every file of a month folder (not its `versions/` folder), by name, with its bytes.
pub fn folder_bytes(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| e.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn two_cron_runs_started_together_on_a_new_database_both_succeed() {
    let s = november();
    let config = s.write_config();
    let (config, out) = (config.to_str().unwrap(), s.path("out"));
    let out = out.to_str().unwrap();
    // The database does not exist yet: both processes create the schema at the same moment.
    assert!(!s.path("releve.db").exists());
    let first = spawn(&run_args(config, out), &[]);
    let second = spawn(&run_args(config, out), &[]);
    let (first, second) = (first.finish(), second.finish());
    assert_exit(&first, 0);
    assert_exit(&second, 0);
    for run in [&first, &second] {
        assert!(!run.stderr.contains("already exists"), "{}", run.stderr);
    }
    // Either the second found the first's job (and said who ran it) or ran the month after it:
    // never both at once, and the files are those of a single run.
    let jobs = jobs(s.dir.path());
    assert!(matches!(jobs.len(), 1 | 2), "{jobs:#?}");
    assert!(jobs
        .iter()
        .all(|j| j.state == JobState::Succeeded && j.attempts == 1));
    if jobs.len() == 2 {
        assert!(jobs[1].started_at >= jobs[0].finished_at, "{jobs:#?}");
    }
    let reference = november();
    let clean = reference.run_month("2025-11");
    clean.assert_status(0);
    assert_eq!(
        folder_bytes(&PathBuf::from(out).join("theatre-des-digues/2025-11")),
        folder_bytes(&clean.folder("2025-11"))
    );
}

#[test]
fn a_second_run_waits_for_the_running_one_then_says_which_process_ran_it() {
    let s = november();
    let config = s.write_config();
    let config = config.to_str().unwrap();
    let (out_a, out_b) = (s.path("out-a"), s.path("out-b"));
    let mut a = spawn(
        &run_args(config, out_a.to_str().unwrap()),
        &[("RELEVE_TEST_PAUSE_AT", "job.claimed")],
    );
    a.wait_stderr("RELEVE_TEST_PAUSED job.claimed");
    let a_pid = a.pid();
    let mut b = spawn(&run_args(config, out_b.to_str().unwrap()), &[]);
    let waiting = b.wait_stdout("attente de sa fin");
    assert!(
        waiting.starts_with("Théâtre des Digues — relevé de novembre 2025 en cours dans un autre processus (releve run, processus "),
        "{waiting}"
    );
    assert!(
        waiting.contains(&format!("processus {a_pid} sur ")),
        "{waiting}"
    );
    assert!(
        waiting.contains("demandé par releve run (utilisateur "),
        "{waiting}"
    );
    assert!(waiting.ends_with("(10 min au plus)"), "{waiting}");
    a.release();
    let (a, b) = (a.finish(), b.finish());
    assert_exit(&a, 0);
    assert_exit(&b, 0);
    assert!(
        a.stdout.contains("Théâtre des Digues — novembre 2025"),
        "{}",
        a.stdout
    );
    assert!(
        b.stdout.contains(&format!(
            "Théâtre des Digues — relevé de novembre 2025 fait par un autre processus (releve run, processus {a_pid} sur "
        )),
        "{}",
        b.stdout
    );
    assert!(
        b.stdout
            .contains(") : réussi. Ses fichiers sont dans le dossier de sortie de ce processus."),
        "{}",
        b.stdout
    );
    // One job, run once, by A; B wrote nothing.
    let jobs = jobs(s.dir.path());
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    assert_eq!(jobs[0].attempts, 1);
    assert_eq!(jobs[0].worker.as_ref().map(|w| w.pid), Some(a_pid));
    assert!(out_a.join("theatre-des-digues/2025-11/cnm.json").exists());
    assert!(!out_b.join("theatre-des-digues").exists());
}

#[test]
fn a_run_that_cannot_get_the_lock_in_time_says_who_holds_it_and_exits_2() {
    let s = november();
    let config = s.write_config();
    let config = config.to_str().unwrap();
    let out = s.path("out");
    let out = out.to_str().unwrap();
    let mut a = spawn(
        &run_args(config, out),
        &[("RELEVE_TEST_PAUSE_AT", "job.claimed")],
    );
    a.wait_stderr("RELEVE_TEST_PAUSED job.claimed");
    let b = spawn(&run_args(config, out), &[("RELEVE_JOB_WAIT_SECONDS", "0")]).finish();
    assert_exit(&b, 2);
    let line = b
        .stdout
        .lines()
        .find(|l| l.contains("verrou non obtenu"))
        .unwrap_or_else(|| panic!("{}", b.stdout));
    assert!(
        line.starts_with("Théâtre des Digues — verrou non obtenu après 0 s : le relevé de novembre 2025 est toujours en cours (releve run, processus "),
        "{line}"
    );
    assert!(
        line.contains(&format!("processus {} sur ", a.pid())),
        "{line}"
    );
    assert!(line.contains(", commencé le "), "{line}");
    assert!(
        line.ends_with("rien n'a été fait pour cette organisation"),
        "{line}"
    );
    assert!(
        b.stderr.contains("erreur : verrou non obtenu à temps : le relevé de Théâtre des Digues est toujours en cours dans un autre processus ; relancez plus tard"),
        "{}",
        b.stderr
    );
    a.release();
    assert_exit(&a.finish(), 0);
}

#[test]
fn a_killed_run_is_taken_again_at_once_by_the_next_run() {
    let s = november();
    let config = s.write_config();
    let config = config.to_str().unwrap();
    let out = s.path("out");
    let out = out.to_str().unwrap();
    let mut a = spawn(
        &run_args(config, out),
        &[("RELEVE_TEST_PAUSE_AT", "job.claimed")],
    );
    a.wait_stderr("RELEVE_TEST_PAUSED job.claimed");
    let a_pid = a.pid();
    let killed = a.kill();
    assert_eq!(killed.status, None, "ended by SIGKILL");
    // Its lease (60 s) has not passed, but its process is gone: the next run takes the job
    // at once, without waiting.
    let b = spawn(&run_args(config, out), &[]);
    let b_pid = b.pid();
    let b = b.finish();
    assert_exit(&b, 0);
    assert!(!b.stdout.contains("attente"), "{}", b.stdout);
    let jobs = jobs(s.dir.path());
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    assert_eq!(jobs[0].state, JobState::Succeeded);
    assert_eq!(jobs[0].attempts, 2);
    assert_eq!(jobs[0].worker.as_ref().map(|w| w.pid), Some(b_pid));
    assert_ne!(a_pid, b_pid);
}

/// Two organisations, each reading the same files under its own slug.
fn two_organisations(s: &Scenario) -> PathBuf {
    two_organisations_after(s, "")
}

/// The same, with top-level keys (a `[database]` table) first.
fn two_organisations_after(s: &Scenario, root: &str) -> PathBuf {
    let mut config = root.to_string();
    for (slug, name) in [("digues", "Théâtre des Digues"), ("quai", "Le Quai")] {
        config += &format!(
            r#"[[organisation]]
slug = "{slug}"
name = "{name}"
siret = "{SIRET}"
subsidised = true
postal_code = "44000"
city = "Nantes"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"

"#
        );
    }
    let path = s.path("releve.toml");
    std::fs::write(&path, config).unwrap();
    path
}

#[test]
fn jobs_2_runs_two_organisations_at_once_and_gives_the_same_files() {
    let parallel = november();
    let config = two_organisations(&parallel);
    let out = parallel.path("out");
    let mut args = run_args(config.to_str().unwrap(), out.to_str().unwrap());
    args.extend(["--jobs", "2"]);
    let run = spawn(&args, &[]).finish();
    // 1: without a licence number both organisations have a blocking point to look at.
    assert_exit(&run, 1);
    assert_eq!(
        run.stdout.matches("1 point(s) bloquant(s)").count(),
        2,
        "{}",
        run.stdout
    );
    // Summaries in configuration order, whatever order the jobs ended in.
    let digues = run
        .stdout
        .find("Théâtre des Digues — novembre 2025")
        .expect("digues");
    let quai = run.stdout.find("Le Quai — novembre 2025").expect("quai");
    assert!(digues < quai, "{}", run.stdout);
    let jobs = jobs(parallel.dir.path());
    assert_eq!(jobs.len(), 2);
    assert!(jobs
        .iter()
        .all(|j| j.state == JobState::Attention && j.exit_status == Some(1)));

    let sequential = november();
    let config = two_organisations(&sequential);
    let out_seq = sequential.path("out");
    let run = spawn(
        &run_args(config.to_str().unwrap(), out_seq.to_str().unwrap()),
        &[],
    )
    .finish();
    assert_exit(&run, 1);
    for slug in ["digues", "quai"] {
        assert_eq!(
            folder_bytes(&out.join(slug).join("2025-11")),
            folder_bytes(&out_seq.join(slug).join("2025-11")),
            "{slug}"
        );
    }
    let err = spawn(
        &["run", "--config", config.to_str().unwrap(), "--jobs", "0"],
        &[],
    )
    .finish();
    assert_exit(&err, 2);
    assert!(err.stderr.contains("--jobs : au moins 1"), "{}", err.stderr);
}

/// On PostgreSQL (when `DATABASE_URL` names one; CI has a server): a second process waits for
/// the first's job and reports it, and a killed one is taken again — the same queue code, with
/// `FOR UPDATE SKIP LOCKED`. Runs in a schema of its own, dropped afterwards.
#[test]
fn on_postgresql_runs_share_the_queue_and_a_killed_run_is_taken_again() {
    let Some(server) = pg::server_url("concurrency::on_postgresql_runs_share_the_queue") else {
        return;
    };
    let schema = pg::Schema::new(&server);
    let scoped = schema.url();
    {
        let mut s = november();
        s.extra_root_keys = format!("[database]\nurl = \"{scoped}\"\n\n");
        let config = s.write_config();
        let config = config.to_str().unwrap();
        let (out_a, out_b) = (s.path("out-a"), s.path("out-b"));
        // Killed while holding the job: the next run takes it at once (same machine).
        let mut killed = spawn(
            &run_args(config, out_a.to_str().unwrap()),
            &[("RELEVE_TEST_PAUSE_AT", "job.claimed")],
        );
        killed.wait_stderr("RELEVE_TEST_PAUSED job.claimed");
        assert_eq!(killed.kill().status, None);
        let mut a = spawn(
            &run_args(config, out_a.to_str().unwrap()),
            &[("RELEVE_TEST_PAUSE_AT", "job.claimed")],
        );
        a.wait_stderr("RELEVE_TEST_PAUSED job.claimed");
        let a_pid = a.pid();
        let mut b = spawn(&run_args(config, out_b.to_str().unwrap()), &[]);
        b.wait_stdout("attente de sa fin");
        a.release();
        let (a, b) = (a.finish(), b.finish());
        assert_exit(&a, 0);
        assert_exit(&b, 0);
        assert!(
            b.stdout.contains(&format!(
                "fait par un autre processus (releve run, processus {a_pid} sur "
            )),
            "{}",
            b.stdout
        );
        let jobs = tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = Store::connect(&scoped).await.unwrap();
            let jobs = store.jobs(None, None).await.unwrap();
            store.close().await;
            jobs
        });
        assert_eq!(jobs.len(), 1, "{jobs:#?}");
        assert_eq!(jobs[0].attempts, 2);
        assert_eq!(jobs[0].state, JobState::Succeeded);
        assert!(out_a.join("theatre-des-digues/2025-11/cnm.json").exists());
    }
}

/// On PostgreSQL, a claim locks the one job it takes (`LIMIT 1 … FOR UPDATE SKIP LOCKED`):
/// while process A is inside its claim transaction (paused there, holding its row), process B
/// claims the other organisation's job at once and both work at the same time. Before the
/// LIMIT, A's claim locked every candidate, B found nothing to take and only waited.
#[test]
fn on_postgresql_two_processes_claiming_together_both_get_work() {
    let Some(server) = pg::server_url("concurrency::on_postgresql_two_processes_claiming") else {
        return;
    };
    let schema = pg::Schema::new(&server);
    let s = november();
    let config =
        two_organisations_after(&s, &format!("[database]\nurl = \"{}\"\n\n", schema.url()));
    let config = config.to_str().unwrap();
    let (out_a, out_b) = (s.path("out-a"), s.path("out-b"));
    let mut a = spawn(
        &run_args(config, out_a.to_str().unwrap()),
        &[("RELEVE_TEST_PAUSE_AT", "job.claiming")],
    );
    a.wait_stderr("RELEVE_TEST_PAUSED job.claiming");
    let mut b = spawn(
        &run_args(config, out_b.to_str().unwrap()),
        &[("RELEVE_TEST_PAUSE_AT", "job.claimed")],
    );
    // B got a job while A's claim transaction is still open.
    b.wait_stderr("RELEVE_TEST_PAUSED job.claimed");
    a.release();
    b.release();
    let (a_pid, b_pid) = (a.pid(), b.pid());
    let (a, b) = (a.finish(), b.finish());
    // 1: without a licence number both organisations have a blocking point.
    assert_exit(&a, 1);
    assert_exit(&b, 1);
    let jobs = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(&schema.url()).await.unwrap();
        let jobs = store.jobs(None, None).await.unwrap();
        store.close().await;
        jobs
    });
    assert_eq!(jobs.len(), 2, "{jobs:#?}");
    // A held the first job (digues) in its claim; B took the second (quai).
    assert_eq!(jobs[0].org, "digues");
    assert_eq!(jobs[0].worker.as_ref().map(|w| w.pid), Some(a_pid));
    assert_eq!(jobs[1].org, "quai");
    assert_eq!(jobs[1].worker.as_ref().map(|w| w.pid), Some(b_pid));
    assert!(jobs
        .iter()
        .all(|j| j.attempts == 1 && j.exit_status == Some(1)));
    assert!(out_a.join("digues/2025-11/cnm.json").exists());
    assert!(out_b.join("quai/2025-11/cnm.json").exists());
    assert!(b.stdout.contains("Le Quai — novembre 2025"), "{}", b.stdout);
    assert!(
        b.stdout
            .contains("Théâtre des Digues — relevé de novembre 2025 fait par un autre processus"),
        "{}",
        b.stdout
    );
}
