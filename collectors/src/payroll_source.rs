//! One entry point for the payroll sources (`dsn`, `payroll_csv`): what the binary calls to
//! import a configured payroll source, whatever its kind.
//!
//! The result is one [`PayrollBatch`] per (employer SIRET, month) the source covers — each to
//! be saved with `Store::replace_engagements`, which replaces what that key held — and the
//! problems to report: quarantined CSV rows, and DSN files refused whole (as quarantine records
//! with the file, line and rubric in the reason and an empty raw text, since a DSN line may be
//! personal data).

use crate::dsn::{self, DsnError, DsnOptions, PayrollBatch};
use crate::payroll_csv::{self, PayrollRow};
use crate::{CollectorError, SourceKind, SourceSpec};
use releve_domain::Quarantined;

/// What a payroll source gave.
#[derive(Debug, Default)]
pub struct PayrollImport {
    /// Sorted by month then SIRET.
    pub batches: Vec<PayrollBatch>,
    pub quarantined: Vec<Quarantined>,
}

impl DsnError {
    /// The refusal of a DSN file as a quarantine record (never any value of the file).
    pub fn to_quarantined(&self, source: &str) -> Quarantined {
        Quarantined {
            source: source.to_string(),
            line: self.line,
            column: self.rubric.clone(),
            reason: self.to_string(),
            raw: String::new(),
        }
    }
}

/// Imports a `dsn` or `payroll_csv` source. `options` carries the salt (see
/// [`dsn::salt_from_env`]) and the DSN settings; `payroll_csv` uses only the salt.
pub fn import(spec: &SourceSpec, options: &DsnOptions) -> Result<PayrollImport, CollectorError> {
    let path = spec.path.as_deref().ok_or_else(|| {
        CollectorError::Other(format!(
            "source « {} » : chemin (path) manquant pour une source de paie",
            spec.key
        ))
    })?;
    match spec.kind {
        SourceKind::Dsn => {
            let read = dsn::read_path(&spec.key, path, options)?;
            Ok(PayrollImport {
                batches: dsn::merge(&read.files),
                quarantined: read
                    .failures
                    .iter()
                    .map(|f| f.to_quarantined(&spec.key))
                    .collect(),
            })
        }
        SourceKind::PayrollCsv => {
            let mut engagements = Vec::new();
            let mut quarantined = Vec::new();
            for row in payroll_csv::read(&spec.key, path, &options.salt)? {
                match row {
                    PayrollRow::Engagement(e) => engagements.push(e),
                    PayrollRow::Quarantined(q) => quarantined.push(q),
                }
            }
            Ok(PayrollImport {
                batches: payroll_csv::batches(engagements),
                quarantined,
            })
        }
        other => Err(CollectorError::Other(format!(
            "source « {} » : le type {} n'est pas une source de paie",
            spec.key,
            other.code()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn spec(kind: SourceKind, path: &str) -> SourceSpec {
        SourceSpec {
            key: kind.code().to_string(),
            kind,
            path: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)),
            base_url: None,
            credentials_env: None,
        }
    }

    #[test]
    fn a_dsn_folder_gives_merged_batches_and_refused_files() {
        let got = import(
            &spec(SourceKind::Dsn, "testdata/dsn"),
            &DsnOptions::new("s"),
        )
        .unwrap();
        // One establishment and month (the replacement wins); the malformed file is reported.
        assert_eq!(got.batches.len(), 1);
        assert_eq!(got.batches[0].engagements.len(), 6);
        assert_eq!(got.quarantined.len(), 1);
        let q = &got.quarantined[0];
        assert_eq!(
            (q.line, q.column.as_deref()),
            (Some(96), Some("S21.G00.51.013"))
        );
        assert!(q.raw.is_empty());
    }

    #[test]
    fn a_payroll_csv_gives_batches_and_quarantine() {
        let got = import(
            &spec(
                SourceKind::PayrollCsv,
                "testdata/payroll/payroll_2026_03.csv",
            ),
            &DsnOptions::new("s"),
        )
        .unwrap();
        assert_eq!(got.batches.len(), 1);
        assert_eq!(got.batches[0].engagements.len(), 2);
        assert_eq!(got.quarantined.len(), 5);
        let err = import(&spec(SourceKind::TicketsCsv, "x"), &DsnOptions::new("s")).unwrap_err();
        assert!(err.to_string().contains("pas une source de paie"), "{err}");
    }
}
