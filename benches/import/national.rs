//! The national case: N organisations of 10,000 tickets each (one month) on PostgreSQL, all
//! declared by one `releve run` with 1, 2 and 4 workers (`--jobs W`, or W processes of
//! `--jobs 1` sharing the store's job queue with `--processes`). 2,000 organisations (20
//! million tickets) by default; `--scale F` runs F × 2,000 of them.
//!
//! Files: 16 different ticket files (seeds 0–15, 10,000 tickets in one month each), the
//! organisations taking them in turn, so that the disk holds 16 × 1.7 MB and not 2,000 ×.
//! Each organisation's tickets are its own rows in the store all the same (the key leads with
//! the organisation).

use crate::generate::{self, Layout};
use crate::measure::{self, Measure};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

pub const FULL_ORGANISATIONS: usize = 2_000;
pub const TICKETS_EACH: usize = 10_000;
const FILES: usize = 16;

/// A SIRET whose Luhn key is right, unique per `n`.
fn siret(n: usize) -> String {
    let body = format!("9{n:08}0001");
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
    // The key is the 14th digit (rightmost): the 13 before it are doubled from the right.
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                *d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Writes the files and `national.toml` for `organisations`; returns the configuration path.
pub fn prepare(folder: &Path, organisations: usize, database_url: &str) -> std::path::PathBuf {
    let performances = Layout::Month.performances(TICKETS_EACH);
    for k in 0..FILES.min(organisations) {
        let dir = folder.join(format!("files-{k:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        generate::generate(&dir, TICKETS_EACH, &performances, k as u64 + 1);
    }
    let mut text =
        format!("[database]\nurl = \"{database_url}\"\n\n[registry]\nenabled = false\n\n");
    for n in 0..organisations {
        let k = n % FILES;
        writeln!(
            text,
            "[[organisation]]\nslug = \"org-{n:05}\"\nname = \"Scène n° {n}\"\nsiret = \"{}\"\n\
             licence = \"PLATESV-D-2024-{:06}\"\nsubsidised = true\n\
             address = \"1 place du Théâtre\"\npostal_code = \"49000\"\ncity = \"Angers\"\n\n\
             [[organisation.source]]\nkind = \"tickets_csv\"\npath = \"files-{k:02}/tickets.csv\"\n\n\
             [[organisation.source]]\nkind = \"programme_csv\"\npath = \"files-{k:02}/programme.csv\"\n",
            siret(n),
            n + 1
        )
        .unwrap();
    }
    let path = folder.join("national.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// One national run with `workers`; every organisation's month is declared once.
pub fn run(
    releve: &Path,
    config: &Path,
    workers: usize,
    processes: bool,
    out: &Path,
    scratch: &Path,
) -> Measure {
    let args = |jobs: usize| -> Vec<String> {
        vec![
            "run".into(),
            "--config".into(),
            config.display().to_string(),
            "--month".into(),
            "2025-11".into(),
            "--out".into(),
            out.display().to_string(),
            "--generated-at".into(),
            crate::GENERATED_AT.into(),
            "--jobs".into(),
            jobs.to_string(),
        ]
    };
    if !processes || workers == 1 {
        let mut command = Command::new(releve);
        command.args(args(workers));
        return measure::run(command, scratch, "national run").0;
    }
    // W processes started together under one `time`, through a shell.
    let one = std::iter::once(releve.display().to_string())
        .chain(args(1))
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let script = (0..workers)
        .map(|_| format!("{one} > /dev/null &"))
        .collect::<Vec<_>>()
        .join(" ")
        + " wait";
    let mut command = Command::new("sh");
    command.args(["-c", &script]);
    measure::run(command, scratch, "national run (processes)").0
}
