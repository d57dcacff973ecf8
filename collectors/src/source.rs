//! The static list of source kinds and the configuration of one source.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Every kind of source releve can read (`kind = "…"` in the configuration, `formats.md` §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    TicketsCsv,
    ProgrammeCsv,
    Billetweb,
    Helloasso,
    Mapado,
    Shotgun,
    Supersoniks,
    Soticket,
    Weezevent,
    Dsn,
    PayrollCsv,
    ProgrammeXlsx,
    ProgrammeOds,
    ProgrammeIcal,
    ProgrammeJsonld,
    /// Tickets pushed by a vendor through the API (`formats.md` §6): nothing to read.
    Push,
}

impl SourceKind {
    pub const ALL: [SourceKind; 16] = [
        SourceKind::TicketsCsv,
        SourceKind::ProgrammeCsv,
        SourceKind::Billetweb,
        SourceKind::Helloasso,
        SourceKind::Mapado,
        SourceKind::Shotgun,
        SourceKind::Supersoniks,
        SourceKind::Soticket,
        SourceKind::Weezevent,
        SourceKind::Dsn,
        SourceKind::PayrollCsv,
        SourceKind::ProgrammeXlsx,
        SourceKind::ProgrammeOds,
        SourceKind::ProgrammeIcal,
        SourceKind::ProgrammeJsonld,
        SourceKind::Push,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SourceKind::TicketsCsv => "tickets_csv",
            SourceKind::ProgrammeCsv => "programme_csv",
            SourceKind::Billetweb => "billetweb",
            SourceKind::Helloasso => "helloasso",
            SourceKind::Mapado => "mapado",
            SourceKind::Shotgun => "shotgun",
            SourceKind::Supersoniks => "supersoniks",
            SourceKind::Soticket => "soticket",
            SourceKind::Weezevent => "weezevent",
            SourceKind::Dsn => "dsn",
            SourceKind::PayrollCsv => "payroll_csv",
            SourceKind::ProgrammeXlsx => "programme_xlsx",
            SourceKind::ProgrammeOds => "programme_ods",
            SourceKind::ProgrammeIcal => "programme_ical",
            SourceKind::ProgrammeJsonld => "programme_jsonld",
            SourceKind::Push => "push",
        }
    }

    pub fn parse(text: &str) -> Option<SourceKind> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.code() == text.trim())
    }

    /// Vendor APIs reached over HTTP (need `base_url` and `credentials_env`).
    pub fn is_api(self) -> bool {
        matches!(
            self,
            SourceKind::Billetweb
                | SourceKind::Helloasso
                | SourceKind::Mapado
                | SourceKind::Shotgun
                | SourceKind::Supersoniks
                | SourceKind::Soticket
                | SourceKind::Weezevent
        )
    }

    /// Sources read from a file or folder (need `path`).
    pub fn is_file(self) -> bool {
        !self.is_api() && !self.is_push()
    }

    /// Tickets pushed by a vendor to the API: no path, no address, no credentials.
    pub fn is_push(self) -> bool {
        self == SourceKind::Push
    }
}

/// One configured source, after the configuration file was validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpec {
    /// Key used in ids and in the store: the kind, or `kind#n` for the n-th (n ≥ 2) source of
    /// the same kind of an organisation.
    pub key: String,
    pub kind: SourceKind,
    /// Absolute path (relative paths are resolved against the configuration file).
    pub path: Option<PathBuf>,
    pub base_url: Option<String>,
    pub credentials_env: Option<String>,
}
