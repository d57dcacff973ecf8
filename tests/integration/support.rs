//! A scenario: a temporary folder with a configuration and source files, and the binary run on it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SIRET: &str = "81234567600009";
pub const GENERATED_AT: &str = "2025-12-05T09:00:00+01:00";

pub struct Scenario {
    pub dir: tempfile::TempDir,
    pub subsidised: bool,
    pub extra_org_keys: String,
    /// More `[[organisation.source]]` blocks, appended to the standard two.
    pub extra_sources: String,
    /// Top-level keys written before the organisation.
    pub extra_root_keys: String,
    /// The `[registry]` table: off by default, so that no test reaches the real register;
    /// the register's own tests point it at a local stand-in.
    pub registry: String,
}

pub struct RunResult {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub out: PathBuf,
}

impl Scenario {
    pub fn new() -> Scenario {
        Scenario {
            dir: tempfile::tempdir().expect("temp dir"),
            subsidised: true,
            extra_org_keys: String::new(),
            extra_sources: String::new(),
            extra_root_keys: String::new(),
            registry: "[registry]\nenabled = false\n\n".into(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> &Scenario {
        std::fs::write(self.path(name), content).expect("write scenario file");
        self
    }

    /// The standard configuration: one organisation with `tickets.csv` and `programme.csv`.
    pub fn write_config(&self) -> PathBuf {
        let config = format!(
            r#"{}{}[[organisation]]
slug = "theatre-des-digues"
name = "Théâtre des Digues"
siret = "{SIRET}"
licence = "PLATESV-D-2021-001234"
subsidised = {}
sacem_client_id = "123456"
sacd_declarant_id = "654321"
address = "2 quai des Digues"
postal_code = "44000"
city = "Nantes"
{}
  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"
{}"#,
            self.extra_root_keys,
            self.registry,
            self.subsidised,
            self.extra_org_keys,
            self.extra_sources
        );
        let path = self.path("releve.toml");
        std::fs::write(&path, config).expect("write config");
        path
    }

    pub fn run_month(&self, month: &str) -> RunResult {
        let config = self.write_config();
        let out = self.path("out");
        let output = releve(&[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--month",
            month,
            "--out",
            out.to_str().unwrap(),
            "--generated-at",
            GENERATED_AT,
        ]);
        RunResult::from(output, out)
    }
}

pub fn releve(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_releve"))
        .args(args)
        .env("RELEVE_LOG", "warn")
        .output()
        .expect("run the releve binary")
}

impl RunResult {
    pub fn from(output: Output, out: PathBuf) -> RunResult {
        RunResult {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out,
        }
    }

    pub fn folder(&self, month: &str) -> PathBuf {
        self.out.join("theatre-des-digues").join(month)
    }

    pub fn json(&self, month: &str, file: &str) -> Value {
        let path = self.folder(month).join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{} unreadable: {e}\nstdout:\n{}\nstderr:\n{}",
                path.display(),
                self.stdout,
                self.stderr
            )
        });
        serde_json::from_str(&text).expect("valid JSON")
    }

    pub fn bytes(&self, month: &str, file: &str) -> Vec<u8> {
        std::fs::read(self.folder(month).join(file)).expect("output file")
    }

    pub fn assert_status(&self, expected: i32) {
        assert_eq!(
            self.status, expected,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
    }
}

/// The performance with this id in `aggregates.json`.
pub fn performance<'a>(aggregates: &'a Value, id: &str) -> &'a Value {
    aggregates["performances"]
        .as_array()
        .expect("performances")
        .iter()
        .find(|p| p["performance_id"] == id)
        .unwrap_or_else(|| panic!("performance {id} not in aggregates: {aggregates:#}"))
}

/// The line or not-taxable entry of a CNM/ASTP declaration for this performance.
pub fn line<'a>(declaration: &'a Value, list: &str, id: &str) -> Option<&'a Value> {
    declaration[list]
        .as_array()
        .expect("list")
        .iter()
        .find(|l| l["performance_id"] == id)
}

pub fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("output folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub const TICKETS_HEADER: &str = "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,venue_city,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at\n";

/// One ticket row of the standard tickets file (positional on purpose: rows read like the CSV).
#[allow(clippy::too_many_arguments)]
pub fn ticket(
    id: &str,
    perf: &str,
    title: &str,
    starts: &str,
    venue: &str,
    category: &str,
    kind: &str,
    price: &str,
    rate: &str,
    status: &str,
) -> String {
    format!("{id},{perf},,{title},{starts},{venue},44000,Nantes,{category},{kind},{price},{rate},{status},2025-10-01T10:00:00+02:00\n")
}

pub const PROGRAMME_HEADER: &str = "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;venue_type;capacity;discipline;audience;producer_name;producer_siret;producer_subsidised;free_admission;cession_price_excl_vat;creation;cancelled;sacem\n";
