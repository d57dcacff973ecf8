//! DuckDB, the reference point: the same per-performance figures from the same file, by the
//! DuckDB Python package in a virtual environment the benchmark sets up itself
//! (`target/bench-venv`, `pip install duckdb==VERSION` on first use). Its figures are compared
//! with releve's `aggregates.json` to the cent.

use crate::measure::{self, Measure};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Pinned, so that every run measures the same engine.
const VERSION: &str = "1.1.3";
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/import/duckdb_aggregate.py"
);

/// The venv's Python, created and filled if missing; `None` (with a message) when it cannot be.
pub fn python() -> Option<PathBuf> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let venv = target.join("bench-venv");
    let python = venv.join("bin").join("python");
    let ready = |p: &Path| {
        Command::new(p)
            .args([
                "-c",
                &format!("import duckdb; assert duckdb.__version__ == '{VERSION}'"),
            ])
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready(&python) {
        return Some(python);
    }
    println!("DuckDB: setting up {} (duckdb=={VERSION})", venv.display());
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success());
    let installed = created
        && Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", &format!("duckdb=={VERSION}")])
            .status()
            .is_ok_and(|s| s.success());
    if installed && ready(&python) {
        Some(python)
    } else {
        println!("DuckDB: could not be installed (python3 -m venv, pip); comparison skipped");
        None
    }
}

/// The DuckDB run: the process's measure, the query's own seconds and its figures.
pub struct Reference {
    pub process: Measure,
    pub query_seconds: f64,
    pub figures: BTreeMap<String, Figures>,
}

/// Per performance, money in cents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    pub paid: i64,
    pub free: i64,
    pub incl_cents: i64,
    pub excl_cents: i64,
}

pub fn run(python: &Path, tickets: &Path, month: &str, scratch: &Path) -> Reference {
    let out = scratch.join("duckdb.json");
    let mut command = Command::new(python);
    command.arg(SCRIPT).arg(tickets).arg(month).arg(&out);
    let (process, stdout) = measure::run(command, scratch, "DuckDB");
    let query_seconds = stdout
        .lines()
        .find_map(|l| l.strip_prefix("duckdb-seconds "))
        .and_then(|s| s.trim().parse().ok())
        .expect("the script prints duckdb-seconds");
    let rows: Vec<Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let figures = rows
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                r["performance_id"].as_str().unwrap().to_string(),
                Figures {
                    paid: n("paid"),
                    free: n("free"),
                    incl_cents: n("incl_cents"),
                    excl_cents: n("excl_cents"),
                },
            )
        })
        .collect();
    Reference {
        process,
        query_seconds,
        figures,
    }
}

/// releve's figures from `aggregates.json`, by the file's performance id.
pub fn releve_figures(aggregates: &Path) -> BTreeMap<String, Figures> {
    let json: Value = serde_json::from_slice(&std::fs::read(aggregates).unwrap()).unwrap();
    let cents = |v: &Value| -> i64 {
        let text = v.as_str().expect("amounts are strings");
        let (units, decimals) = text.split_once('.').unwrap_or((text, "00"));
        units.parse::<i64>().unwrap() * 100 + format!("{decimals:0<2}").parse::<i64>().unwrap()
    };
    json["performances"]
        .as_array()
        .expect("performances")
        .iter()
        .filter(|p| {
            p["paid_tickets"].as_i64().unwrap_or(0) + p["free_tickets"].as_i64().unwrap_or(0) > 0
        })
        .map(|p| {
            let id = p["performance_id"].as_str().unwrap();
            let id = id.strip_prefix("tickets_csv:").unwrap_or(id).to_string();
            (
                id,
                Figures {
                    paid: p["paid_tickets"].as_i64().unwrap(),
                    free: p["free_tickets"].as_i64().unwrap(),
                    incl_cents: cents(&p["receipts_incl_vat"]),
                    excl_cents: cents(&p["receipts_excl_vat"]),
                },
            )
        })
        .collect()
}

/// `None` when both agree on every performance, else the first difference.
pub fn difference(
    releve: &BTreeMap<String, Figures>,
    duckdb: &BTreeMap<String, Figures>,
) -> Option<String> {
    if releve.len() != duckdb.len() {
        return Some(format!(
            "{} performances with tickets in releve, {} in DuckDB",
            releve.len(),
            duckdb.len()
        ));
    }
    releve.iter().find_map(|(id, r)| match duckdb.get(id) {
        Some(d) if d == r => None,
        other => Some(format!("{id}: releve {r:?}, DuckDB {other:?}")),
    })
}
