//! Import benchmark: how long reading and declaring a season of tickets takes, and how much
//! memory it needs, for N = 10 000, 100 000 and 500 000 tickets.
//!
//! Run with `cargo bench --bench import` (release profile). It is a plain program
//! (`harness = false`): `cargo test` never runs it. For each N it generates, in a temporary
//! folder, a season of several hundred performances (September 2025 to June 2026, two venues,
//! mixed VAT rates, refunds, cancellations and invitations) as a `tickets_csv` file and the
//! matching `programme_csv`, then measures with `std::time::Instant`:
//!
//! - `parse`: the `tickets_csv` reader over the whole file, records counted and dropped;
//! - `SQLite run 1`: `releve run` for November 2025 on a fresh SQLite database (import of
//!   both files, facts, every declaration, every output file);
//! - `SQLite run 2`: the same run again on the same database (re-import, idempotent);
//! - `PostgreSQL run 1`, `run 2`: the same on PostgreSQL when `DATABASE_URL=postgres://…` is
//!   set (each N in a fresh schema, created and dropped with `psql`), then `run 3` after
//!   `ANALYZE tickets` (what autovacuum does some time after a bulk import).
//!
//! Each phase runs in a child process of its own (this program started again with
//! `RELEVE_BENCH_PHASE` set), so its peak memory, the child's `VmHWM` (`/proc/self/status`),
//! never includes what an earlier phase left behind. The second run's summary must equal the
//! first's.
//!
//! Environment: `BENCH_SIZES=10000,100000` to choose the sizes; `DATABASE_URL` as above;
//! `BENCH_MONTH=2027-01` to declare a month without performances (import cost alone).
//! Results are printed as a Markdown table (see `docs/performance.md`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use releve::config::Config;
use releve::import::ImportContext;
use releve::run::{run_monthly, RunOptions};
use releve::Status;
use releve_collectors::Record;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Performances in the season (one every 18 hours on average over ten months).
const PERFORMANCES: usize = 400;
const PERFORMANCES_PER_SHOW: usize = 5;
/// The month declared; `BENCH_MONTH=2027-01` (no performance) measures the import alone.
const MONTH: &str = "2025-11";

fn month() -> String {
    std::env::var("BENCH_MONTH").unwrap_or_else(|_| MONTH.to_string())
}
const GENERATED_AT: &str = "2025-12-05T09:00:00+01:00";

/// xorshift64*: a small deterministic generator, so every run measures the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Performance {
    id: String,
    title: String,
    /// Paris local time, `YYYY-MM-DD HH:MM`.
    local_start: String,
    date: NaiveDate,
    venue: &'static str,
    discipline: &'static str,
    audience: &'static str,
    /// VAT rate of the show's tickets (percent text).
    rate: &'static str,
    creation: bool,
}

const TITLES: [&str; 10] = [
    "Les Heures blanches",
    "Le Dîner des malentendus",
    "Swing Paradise",
    "Contes de la Grande Ourse",
    "Quatuor en « Ré »",
    "Cirque d'hiver",
    "La Mouette",
    "Nuit électro",
    "Fables, fables ; encore",
    "Opéra de quat'sous",
];
const DISCIPLINES: [(&str, &str); 10] = [
    ("theatre", "tout_public"),
    ("theatre", "tout_public"),
    ("jazz", "tout_public"),
    ("conte", "jeune_public"),
    ("musique_classique", "tout_public"),
    ("cirque", "tout_public"),
    ("theatre", "tout_public"),
    ("musique_electronique", "tout_public"),
    ("marionnettes", "scolaire"),
    ("opera", "tout_public"),
];

fn season() -> Vec<Performance> {
    let first = NaiveDate::from_ymd_opt(2025, 9, 15).unwrap();
    let shows = PERFORMANCES / PERFORMANCES_PER_SHOW;
    let mut performances = Vec::with_capacity(PERFORMANCES);
    for show in 0..shows {
        // Shows follow each other every 3 or 4 days, alternating venues, from mid-September
        // to the end of June; each plays on consecutive evenings.
        let base = first + Duration::days((show as i64 * 7) / 2);
        let venue = if show % 2 == 0 {
            "Grande salle"
        } else {
            "Studio"
        };
        let (discipline, audience) = DISCIPLINES[show % DISCIPLINES.len()];
        // A creation at 2.1 % every seventh show, a cabaret with drinks at 10 % every
        // eleventh, 5.5 % otherwise.
        let rate = if show % 7 == 0 {
            "2.1"
        } else if show % 11 == 0 {
            "10"
        } else {
            "5.5"
        };
        for k in 0..PERFORMANCES_PER_SHOW {
            let date = base + Duration::days(k as i64);
            let time = if audience == "scolaire" {
                "14:00"
            } else {
                "20:30"
            };
            performances.push(Performance {
                id: format!("P{:03}-{k}", show),
                title: format!("{} #{show}", TITLES[show % TITLES.len()]),
                local_start: format!("{date} {time}"),
                date,
                venue,
                discipline,
                audience,
                rate,
                creation: show % 7 == 0,
            });
        }
    }
    performances
}

/// Writes `tickets.csv` (comma-separated, UTF-8) and `programme.csv` (semicolon-separated),
/// both as a spreadsheet or a ticketing export would. Returns the tickets file size.
fn generate(folder: &Path, tickets: usize, performances: &[Performance]) -> u64 {
    let mut rng = Rng(0x5EED_0000_0000_0001 ^ tickets as u64);
    let path = folder.join("tickets.csv");
    let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        out,
        "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,\
         venue_city,venue_address,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at"
    )
    .unwrap();
    let mut line = String::new();
    for i in 0..tickets {
        let p = &performances[rng.below(performances.len() as u64) as usize];
        let roll = rng.below(1000);
        // 6 % invitations, 40 % full price, 25 % reduced, 25 % subscription, 4 % other.
        let (category, kind, price) = match roll {
            0..=59 => ("Invitation", "free", "0"),
            60..=459 => ("Plein tarif", "full", "28.00"),
            460..=709 => ("Tarif réduit", "reduced", "18,50"),
            710..=959 => ("Abonné", "subscription", "15.00"),
            _ => ("Tarif unique", "", "12.00"),
        };
        // 2 % of the paid tickets of a show carry a bar voucher at 20 %: mixed rates.
        let rate = match (price, rng.below(50)) {
            ("0", _) => "",
            (_, 0) => "20",
            _ => p.rate,
        };
        let status = match rng.below(1000) {
            0..=29 => "refunded",
            30..=34 => "cancelled",
            _ => "valid",
        };
        let sold = p.date - Duration::days(1 + rng.below(60) as i64);
        // Sales between 08:00 and 23:59: a local time at 02:xx would not exist (or exist
        // twice) on the nights clocks change, and such rows are rightly quarantined.
        let minute = 8 * 60 + rng.below(16 * 60);
        line.clear();
        write!(
            line,
            "T{i:07},{},{},\"{}\",{},{},49370,Lanvière-sur-Loire,\"3 quai des Mariniers\",{category},{kind},\"{price}\",{rate},{status},{sold} {:02}:{:02}",
            p.id,
            p.id.split('-').next().unwrap(),
            p.title.replace('"', "\"\""),
            p.local_start,
            p.venue,
            minute / 60,
            minute % 60,
        )
        .unwrap();
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    drop(out);

    // Enough seats for the average performance plus a margin: the fill rate stays plausible.
    let capacity = (tickets / performances.len()).max(50) * 6 / 5;
    let mut programme = String::from(
        "performance_id;show_title;starts_at;venue_name;venue_city;venue_type;capacity;\
         discipline;audience;creation\n",
    );
    for p in performances {
        writeln!(
            programme,
            "{};\"{}\";{};{};Lanvière-sur-Loire;THEATRE;{capacity};{};{};{}",
            p.id,
            p.title.replace('"', "\"\""),
            p.local_start,
            p.venue,
            p.discipline,
            p.audience,
            if p.creation { "yes" } else { "no" }
        )
        .unwrap();
    }
    std::fs::write(folder.join("programme.csv"), programme).unwrap();
    std::fs::metadata(&path).unwrap().len()
}

fn config(folder: &Path, database_url: &str) -> Config {
    let text = format!(
        "[database]\nurl = \"{database_url}\"\n\n\
         [[organisation]]\nslug = \"scene-du-banc\"\nname = \"Scène du Banc d'essai\"\n\
         siret = \"81234567600009\"\nlicence = \"PLATESV-D-2024-000001\"\nsubsidised = true\n\
         sacem_client_id = \"100001\"\nsacd_declarant_id = \"200002\"\n\
         address = \"3 quai des Mariniers\"\npostal_code = \"49370\"\ncity = \"Lanvière-sur-Loire\"\n\n\
         [[organisation.source]]\nkind = \"tickets_csv\"\npath = \"tickets.csv\"\n\n\
         [[organisation.source]]\nkind = \"programme_csv\"\npath = \"programme.csv\"\n"
    );
    let path = folder.join("releve.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(&path).unwrap()
}

/// `VmHWM` in MiB: the peak resident set size of this process.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

struct Measure {
    seconds: f64,
    peak_mib: f64,
}

/// Environment of a measuring child process.
const PHASE: &str = "RELEVE_BENCH_PHASE";
const FOLDER: &str = "RELEVE_BENCH_FOLDER";
const DATABASE: &str = "RELEVE_BENCH_DATABASE";
const RESULT: &str = "bench-result";

/// Child side: runs one phase in this fresh process and prints its time, its peak memory
/// and what it produced. Each phase has a process of its own, so a peak never includes what
/// an earlier phase left in the allocator.
fn child(phase: &str) {
    let folder = PathBuf::from(std::env::var(FOLDER).unwrap());
    let start = Instant::now();
    let report = match phase {
        "parse" => {
            let (tickets, quarantined) = parse_only(&folder.join("tickets.csv"));
            format!("{tickets} tickets, {quarantined} quarantined")
        }
        _ => {
            let config = config(&folder, &std::env::var(DATABASE).unwrap());
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            let (status, summary) = run_once(&runtime, config, folder.join(phase));
            format!("{status:?}\n{summary}")
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    println!("{RESULT} {seconds} {}\n{report}", peak_mib());
}

/// Parent side: runs one phase in a child process; returns the measure and the child's report.
fn measure(phase: &str, folder: &Path, database: &str) -> (Measure, String) {
    let output = Command::new(std::env::current_exe().unwrap())
        .env(PHASE, phase)
        .env(FOLDER, folder)
        .env(DATABASE, database)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "phase {phase}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (first, report) = stdout
        .split_once('\n')
        .filter(|(first, _)| first.starts_with(RESULT))
        .expect("the child prints its result first");
    let figures: Vec<f64> = first
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap())
        .collect();
    let measure = Measure {
        seconds: figures[0],
        peak_mib: figures[1],
    };
    (measure, report.to_string())
}

fn parse_only(path: &Path) -> (u64, u64) {
    let mut tickets = 0;
    let mut quarantined = 0;
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
    (tickets, quarantined)
}

/// One `releve run`; returns its status and the summary it printed.
fn run_once(runtime: &tokio::runtime::Runtime, config: Config, out: PathBuf) -> (Status, String) {
    let generated_at: DateTime<Utc> = DateTime::parse_from_rfc3339(GENERATED_AT)
        .unwrap()
        .with_timezone(&Utc);
    let options = RunOptions {
        config,
        month: Some(month().parse().expect("BENCH_MONTH: YYYY-MM")),
        org: None,
        out,
        generated_at,
        import: ImportContext::production(generated_at, false),
    };
    let mut summary = Vec::new();
    let status = runtime
        .block_on(run_monthly(&options, &mut summary))
        .expect("releve run");
    (status, String::from_utf8_lossy(&summary).into_owned())
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .env("PGOPTIONS", "--client-min-messages=warning")
        .status()
        .expect("psql must be installed for the PostgreSQL variant");
    assert!(status.success(), "psql {sql}");
}

fn row(table: &mut String, n: usize, phase: &str, m: &Measure) {
    writeln!(
        table,
        "| {n} | {phase} | {:.2} | {:.0} | {:.1} |",
        m.seconds,
        n as f64 / m.seconds,
        m.peak_mib
    )
    .unwrap();
}

/// Runs the month twice on the same database; the second run re-imports the same files and
/// must print exactly the same summary (the import is idempotent).
fn twice(table: &mut String, n: usize, backend: &str, folder: &Path, database: &str) {
    let (m, first) = measure("run1", folder, database);
    println!("  {backend} run 1: {first}");
    row(table, n, &format!("{backend} run 1"), &m);
    let (m, second) = measure("run2", folder, database);
    // The summaries name the output folder (`run1`, `run2`); everything else must agree.
    assert_eq!(
        second.replace("run2", "run1"),
        first,
        "{backend}: the second run must not change anything"
    );
    println!("  {backend} run 2: same summary");
    row(table, n, &format!("{backend} run 2"), &m);
}

fn main() {
    if let Ok(phase) = std::env::var(PHASE) {
        return child(&phase);
    }
    // `cargo bench` passes `--bench`; any other argument is ignored as well.
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000,500000".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("BENCH_SIZES: comma-separated counts")
        })
        .collect();
    let postgres = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"));
    let performances = season();
    let november = performances
        .iter()
        .filter(|p| p.date.format("%Y-%m").to_string() == month())
        .count();
    println!(
        "season: {} performances, {november} in {}; sizes {sizes:?}; PostgreSQL: {}",
        performances.len(),
        month(),
        if postgres.is_some() { "yes" } else { "no" }
    );

    let mut table = String::from(
        "| N tickets | phase | seconds | tickets/s | peak RSS (MiB) |\n|---:|---|---:|---:|---:|\n",
    );
    for &n in &sizes {
        let scratch = tempfile::Builder::new()
            .prefix("releve-bench-")
            .tempdir()
            .unwrap();
        let folder = scratch.path();
        let bytes = generate(folder, n, &performances);
        println!("N = {n}: tickets.csv {:.1} MiB", bytes as f64 / 1048576.0);

        let (m, report) = measure("parse", folder, "");
        assert_eq!(
            report.trim(),
            format!("{n} tickets, 0 quarantined"),
            "every row read, none quarantined"
        );
        row(&mut table, n, "parse", &m);

        twice(&mut table, n, "SQLite", folder, "sqlite://releve.db");

        if let Some(url) = &postgres {
            let schema = format!("bench_{n}_{}", std::process::id());
            psql(url, &format!("CREATE SCHEMA {schema}"));
            let separator = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
            twice(&mut table, n, "PostgreSQL", folder, &scoped);
            // Right after a bulk import the table has no planner statistics (autovacuum
            // analyses it a little later); a third run after ANALYZE shows the steady state.
            psql(url, &format!("ANALYZE {schema}.tickets"));
            let (m, third) = measure("run3", folder, &scoped);
            println!("  PostgreSQL run 3: {third}");
            row(&mut table, n, "PostgreSQL run 3 (after ANALYZE)", &m);
            psql(url, &format!("DROP SCHEMA {schema} CASCADE"));
        }
        println!("{table}");
    }
    println!("{table}");
}
