//! Import benchmark (`docs/performance.md`): how long reading and declaring tickets takes, how
//! much memory it needs, and how that compares with DuckDB on the same file.
//!
//! Run with `cargo bench --bench import [-- OPTIONS]` (release profile). It is a plain program
//! (`harness = false`): `cargo test` never runs it. For each layout (`month`: every ticket in
//! November 2025, one performance per 300 tickets; `season`: 400 performances from September to
//! June) and each size N it generates a `tickets_csv` file and its `programme_csv`
//! (deterministic), then measures, each phase in a child process of its own under
//! `/usr/bin/time` (wall, CPU, peak memory):
//!
//! - `parse`: the `tickets_csv` reader over the whole file, records counted and dropped;
//! - `DuckDB`: the per-performance figures of November by DuckDB (Python package, in a
//!   virtual environment set up under `target/`), compared with releve's to the cent;
//! - `SQLite run 1`: `releve run` for November on a new SQLite database (import of both files,
//!   facts, every declaration, every output file); `run 2`: the same again (re-import of the
//!   same files; the summary must be identical);
//! - `PostgreSQL run 1`, `run 2`: the same when `DATABASE_URL=postgres://…` (a fresh schema).
//!
//! With `--baseline PATH` the run phases are measured again with another `releve` binary (e.g.
//! built from `main`), in the same benchmark run, side by side. With PostgreSQL, the national
//! case follows (`national.rs`).
//!
//! Options: `--sizes 10000,100000,500000`, `--layouts month,season`, `--baseline PATH`,
//! `--no-duckdb`, `--national` / `--no-national` (default: with PostgreSQL), `--scale F`
//! (national case with F × 2,000 organisations), `--workers 1,2,4`, `--processes` (workers as
//! separate processes), `--only-national`. `BENCH_SIZES` and `BENCH_MONTH` (a month without
//! performances: the import alone) are still read.

mod duckdb;
mod generate;
mod measure;
mod national;

use generate::Layout;
use measure::Measure;
use releve_collectors::Record;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const GENERATED_AT: &str = "2025-12-05T09:00:00+01:00";
/// The month declared; `BENCH_MONTH=2027-01` (no performance) measures the import alone.
const MONTH: &str = "2025-11";
const ORG: &str = "scene-du-banc";
/// The `releve` binary of this build.
const RELEVE: &str = env!("CARGO_BIN_EXE_releve");
const PHASE: &str = "RELEVE_BENCH_PHASE";

fn month() -> String {
    std::env::var("BENCH_MONTH").unwrap_or_else(|_| MONTH.to_string())
}

struct Options {
    sizes: Vec<usize>,
    layouts: Vec<Layout>,
    baseline: Option<PathBuf>,
    duckdb: bool,
    national: Option<bool>,
    only_national: bool,
    scale: f64,
    workers: Vec<usize>,
    processes: bool,
}

fn list<T>(text: &str, what: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    text.split(',')
        .map(|s| parse(s.trim()).unwrap_or_else(|| panic!("{what}: « {s} » not understood")))
        .collect()
}

fn options() -> Options {
    let mut o = Options {
        sizes: list(
            &std::env::var("BENCH_SIZES").unwrap_or_else(|_| "10000,100000,500000".into()),
            "BENCH_SIZES",
            |s| s.parse().ok(),
        ),
        layouts: vec![Layout::Month, Layout::Season],
        baseline: std::env::var_os("BENCH_BASELINE").map(PathBuf::from),
        duckdb: true,
        national: None,
        only_national: false,
        scale: 1.0,
        workers: vec![1, 2, 4],
        processes: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{arg}: value missing"))
        };
        match arg.as_str() {
            "--sizes" => o.sizes = list(&value(), "--sizes", |s| s.parse().ok()),
            "--layouts" => o.layouts = list(&value(), "--layouts", Layout::parse),
            "--baseline" => o.baseline = Some(PathBuf::from(value())),
            "--no-duckdb" => o.duckdb = false,
            "--national" => o.national = Some(true),
            "--no-national" => o.national = Some(false),
            "--only-national" => o.only_national = true,
            "--scale" => o.scale = value().parse().expect("--scale: a number, e.g. 0.01"),
            "--workers" => o.workers = list(&value(), "--workers", |s| s.parse().ok()),
            "--processes" => o.processes = true,
            // `cargo bench` passes `--bench`.
            _ => {}
        }
    }
    o
}

/// Child side of the `parse` phase: the reader alone, in this fresh process.
fn parse_phase(path: &Path) {
    let start = Instant::now();
    let mut tickets = 0u64;
    let mut quarantined = 0u64;
    for record in releve_collectors::tickets_csv::read("tickets_csv", path).unwrap() {
        match record {
            Record::Ticket(_) => tickets += 1,
            Record::Quarantined(q) => {
                if quarantined < 3 {
                    eprintln!("quarantined line {:?}: {} ({})", q.line, q.reason, q.raw);
                }
                quarantined += 1;
            }
            _ => {}
        }
    }
    println!(
        "{tickets} tickets, {quarantined} quarantined, {:.3} s",
        start.elapsed().as_secs_f64()
    );
}

fn config_text(database_url: &str) -> String {
    format!(
        "[database]\nurl = \"{database_url}\"\n\n[registry]\nenabled = false\n\n\
         [[organisation]]\nslug = \"{ORG}\"\nname = \"Scène du Banc d'essai\"\n\
         siret = \"81234567600009\"\nlicence = \"PLATESV-D-2024-000001\"\nsubsidised = true\n\
         sacem_client_id = \"100001\"\nsacd_declarant_id = \"200002\"\n\
         address = \"3 quai des Mariniers\"\npostal_code = \"49370\"\ncity = \"Lanvière-sur-Loire\"\n\n\
         [[organisation.source]]\nkind = \"tickets_csv\"\npath = \"tickets.csv\"\n\n\
         [[organisation.source]]\nkind = \"programme_csv\"\npath = \"programme.csv\"\n"
    )
}

/// One `releve run` of the month by `binary`; returns its measure and printed summary.
fn releve_run(binary: &Path, config: &Path, out: &Path, scratch: &Path) -> (Measure, String) {
    let mut command = Command::new(binary);
    command
        .arg("run")
        .arg("--config")
        .arg(config)
        .arg("--month")
        .arg(month())
        .arg("--out")
        .arg(out)
        .arg("--generated-at")
        .arg(GENERATED_AT)
        .env("RUST_LOG", "warn");
    measure::run(command, scratch, "releve run")
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .env("PGOPTIONS", "--client-min-messages=warning")
        .status()
        .expect("psql must be installed for the PostgreSQL variant");
    assert!(status.success(), "psql {sql}");
}

fn scoped(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

/// The table every phase adds a row to.
struct Table {
    text: String,
    duckdb_seconds: Option<f64>,
}

impl Table {
    fn new() -> Table {
        Table {
            text: String::from(
                "| case | N tickets | phase | wall s | CPU s | tickets/s | peak MiB | × DuckDB |\n\
                 |---|---:|---|---:|---:|---:|---:|---:|\n",
            ),
            duckdb_seconds: None,
        }
    }

    fn row(&mut self, case: &str, n: usize, phase: &str, m: &Measure) {
        let ratio = self
            .duckdb_seconds
            .filter(|_| phase.contains("run"))
            .map_or(String::new(), |d| format!("{:.1}", m.wall / d));
        writeln!(
            self.text,
            "| {case} | {n} | {phase} | {:.2} | {:.2} | {:.0} | {:.1} | {ratio} |",
            m.wall,
            m.cpu,
            n as f64 / m.wall.max(0.01),
            m.peak_mib
        )
        .unwrap();
    }
}

/// Runs the month twice with `binary` on `database` and adds both rows; the second run must
/// print the first's summary. Returns the first run's output folder.
#[allow(clippy::too_many_arguments)]
fn twice(
    table: &mut Table,
    case: &str,
    n: usize,
    label: &str,
    binary: &Path,
    folder: &Path,
    database: &str,
    tag: &str,
) -> PathBuf {
    let config = folder.join(format!("releve-{tag}.toml"));
    std::fs::write(&config, config_text(database)).unwrap();
    let out1 = folder.join(format!("out-{tag}-1"));
    let (m, first) = releve_run(binary, &config, &out1, folder);
    table.row(case, n, &format!("{label} run 1"), &m);
    let out2 = folder.join(format!("out-{tag}-2"));
    let (m, second) = releve_run(binary, &config, &out2, folder);
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        second.replace(&name(&out2), &name(&out1)),
        first,
        "{label}: the second run must not change anything"
    );
    table.row(case, n, &format!("{label} run 2"), &m);
    out1
}

fn one_case(options: &Options, python: Option<&Path>, layout: Layout, n: usize) -> String {
    let case = layout.name();
    let scratch = tempfile::Builder::new()
        .prefix("releve-bench-")
        .tempdir()
        .unwrap();
    let folder = scratch.path();
    let performances = layout.performances(n);
    let bytes = generate::generate(folder, n, &performances, 0);
    let in_month = performances
        .iter()
        .filter(|p| p.date.format("%Y-%m").to_string() == month())
        .count();
    println!(
        "{case}, N = {n}: tickets.csv {:.1} MiB, {} performances ({in_month} in {}), load {}",
        bytes as f64 / 1_048_576.0,
        performances.len(),
        month(),
        measure::load_average()
    );
    let mut table = Table::new();

    let mut parse = Command::new(std::env::current_exe().unwrap());
    parse.env(PHASE, folder.join("tickets.csv"));
    let (m, report) = measure::run(parse, folder, "parse");
    assert!(
        report.starts_with(&format!("{n} tickets, 0 quarantined")),
        "every row read, none quarantined: {report}"
    );
    table.row(case, n, "parse", &m);

    let reference = python.map(|py| duckdb::run(py, &folder.join("tickets.csv"), &month(), folder));
    if let Some(r) = &reference {
        table.duckdb_seconds = Some(r.process.wall);
        table.row(case, n, "DuckDB (process)", &r.process);
        writeln!(
            table.text,
            "| {case} | {n} | DuckDB (query alone) | {:.2} | | {:.0} | | |",
            r.query_seconds,
            n as f64 / r.query_seconds
        )
        .unwrap();
    }

    let postgres = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"));
    let mut engines: Vec<(String, PathBuf)> = vec![("releve".into(), PathBuf::from(RELEVE))];
    if let Some(b) = &options.baseline {
        engines.push(("baseline".into(), b.clone()));
    }
    for (label, binary) in &engines {
        let out = twice(
            &mut table,
            case,
            n,
            &format!("{label} SQLite"),
            binary,
            folder,
            &format!("sqlite://{label}.db"),
            &format!("{label}-sqlite"),
        );
        if let Some(r) = &reference {
            let aggregates = out.join(ORG).join(month()).join("aggregates.json");
            let releve = duckdb::releve_figures(&aggregates);
            match duckdb::difference(&releve, &r.figures) {
                None => println!(
                    "  {label}: {} performances, figures equal to DuckDB's to the cent",
                    releve.len()
                ),
                Some(d) => panic!("{label} and DuckDB disagree: {d}"),
            }
        }
        if let Some(url) = &postgres {
            let schema = format!("bench_{label}_{case}_{n}_{}", std::process::id());
            psql(url, &format!("CREATE SCHEMA {schema}"));
            twice(
                &mut table,
                case,
                n,
                &format!("{label} PostgreSQL"),
                binary,
                folder,
                &scoped(url, &schema),
                &format!("{label}-pg"),
            );
            psql(url, &format!("DROP SCHEMA {schema} CASCADE"));
        }
    }
    println!("{}", table.text);
    table.text
}

fn national_case(options: &Options, url: &str) -> String {
    let organisations =
        ((national::FULL_ORGANISATIONS as f64 * options.scale).round() as usize).max(1);
    let tickets = organisations * national::TICKETS_EACH;
    let scratch = tempfile::Builder::new()
        .prefix("releve-national-")
        .tempdir()
        .unwrap();
    let mut text = format!(
        "National case: {organisations} organisations × {} tickets = {tickets} tickets, \
         PostgreSQL, {}\n\n| workers | wall s | CPU s | tickets/s | peak MiB | load |\n\
         |---:|---:|---:|---:|---:|---:|\n",
        national::TICKETS_EACH,
        if options.processes {
            "workers as processes"
        } else {
            "`--jobs W`"
        }
    );
    let mut binaries: Vec<(&str, PathBuf)> = vec![("releve", PathBuf::from(RELEVE))];
    if let Some(b) = &options.baseline {
        binaries.push(("baseline", b.clone()));
    }
    for (label, binary) in binaries {
        for &workers in &options.workers {
            let schema = format!("bench_national_{label}_{workers}_{}", std::process::id());
            psql(url, &format!("CREATE SCHEMA {schema}"));
            let folder = scratch.path().join(format!("{label}-{workers}"));
            std::fs::create_dir_all(&folder).unwrap();
            let config = national::prepare(&folder, organisations, &scoped(url, &schema));
            let load = measure::load_average();
            let m = national::run(
                &binary,
                &config,
                workers,
                options.processes,
                &folder.join("out"),
                &folder,
            );
            psql(url, &format!("DROP SCHEMA {schema} CASCADE"));
            writeln!(
                text,
                "| {label} {workers} | {:.1} | {:.1} | {:.0} | {:.1} | {load} |",
                m.wall,
                m.cpu,
                tickets as f64 / m.wall.max(0.01),
                m.peak_mib
            )
            .unwrap();
            println!("{text}");
        }
    }
    text
}

fn main() {
    if let Ok(path) = std::env::var(PHASE) {
        return parse_phase(Path::new(&path));
    }
    let options = options();
    let postgres = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"));
    println!(
        "releve import benchmark: sizes {:?}, layouts {:?}, PostgreSQL: {}, baseline: {}, load {}",
        options.sizes,
        options.layouts,
        if postgres.is_some() { "yes" } else { "no" },
        options
            .baseline
            .as_ref()
            .map_or("none".into(), |b| b.display().to_string()),
        measure::load_average()
    );
    let python = if options.duckdb && !options.only_national {
        duckdb::python()
    } else {
        None
    };
    let mut report = String::new();
    if !options.only_national {
        for &layout in &options.layouts {
            for &n in &options.sizes {
                report += &one_case(&options, python.as_deref(), layout, n);
                report.push('\n');
            }
        }
    }
    let national = options.national.unwrap_or(true) || options.only_national;
    match (&postgres, national) {
        (Some(url), true) => report += &national_case(&options, url),
        (None, true) if options.national == Some(true) || options.only_national => {
            println!("national case skipped: it needs DATABASE_URL=postgres://…")
        }
        _ => {}
    }
    println!(
        "\n{report}\nload average at the end: {}",
        measure::load_average()
    );
}
