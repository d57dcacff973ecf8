//! `dsn`: monthly DSN files (Déclaration Sociale Nominative, norme NEODeS) as a payroll
//! source. A source `path` is one file or a folder of them (every regular file of the folder,
//! in name order; sub-folders are not read).
//!
//! # What is read
//!
//! One rubric per line, `S21.G00.30.005,'02'`, UTF-8 or ISO-8859-1 (detected: valid UTF-8 is
//! UTF-8), CR LF or LF. Blocks and rubrics used:
//!
//! | block | rubrics |
//! |---|---|
//! | `S20.G00.05` déclaration | `.001` nature (only `01` DSN mensuelle is accepted), `.002` type (`01` normale, `02` sans individu, `03` annule et remplace, `04` annule), `.005` month `01MMAAAA`, `.007` file date |
//! | `S21.G00.06` entreprise | `.001` SIREN |
//! | `S21.G00.11` établissement | `.001` NIC (employer SIRET = SIREN + NIC) |
//! | `S21.G00.30` individu | `.001` NIR, `.020` NTT (when no NIR), `.005` sex (`01` M, `02` F) |
//! | `S21.G00.40` contrat | `.001` start, `.004` PCS-ESE, `.007` nature, `.009` number, `.021` motif de recours, `.022` caisse de congés payés, `.050` numéro d'objet |
//! | `S21.G00.51` rémunération | `.001`/`.002` pay period, `.010` contract number, `.011` type, `.012` hours, `.013` amount |
//! | `S21.G00.53` activité | `.002` measure, `.003` unit (cachets when the unit is a cachet unit) |
//! | `S21.G00.78` base assujettie | `.005` contract number the following contributions belong to (uncertain) |
//! | `S21.G00.81` cotisation | `.001` code (`066` Congés Spectacles), `.004` amount |
//!
//! Every other rubric is ignored. The result is one [`Engagement`] per contract and pay period
//! (see [`engagements`] for the figures).
//!
//! # Choices that are uncertain (configurable in [`DsnOptions`])
//!
//! - **Cachet units** (`S21.G00.53.003`): `36` cachets groupés, `37` cachets isolés, `39` cachet
//!   by default. The code table is not confirmed against the cahier technique.
//! - **Intermittent** (annexes 8 and 10): a contract is intermittent when (a) its nature is `02`
//!   (CDD) and its motif `.021` is a CDD d'usage motif (default `05`, **uncertain**), or (b) its
//!   caisse de congés `.022` is the Congés Spectacles code (default `01`, **uncertain**), or (c)
//!   the individual pays a `066` Congés Spectacles contribution for it (certain).
//! - **Role** from PCS-ESE `.004`: `354…` (artistes du spectacle) → artist; technicians from a
//!   list (default `353c`, `465a`, `465b`, `465c`, `637c`: cadres techniques, assistants
//!   techniques and ouvriers/techniciens du spectacle — **uncertain**); anything else → other.
//! - **Gross pay** is type `001`; type `002` when a period has no `001` line.
//!
//! # Replacement and idempotence
//!
//! A file covers (employer SIRET, month) for each of its establishments. [`merge`] orders files
//! by month, file date `.007` and path, and lets each file replace what earlier files said for
//! its keys: an "annule et remplace" (`03`) replaces the original, an "annule" (`04`) empties it,
//! the same file read twice gives the same result. The store saves each [`PayrollBatch`] by
//! replacing the rows of its key, so re-importing is idempotent too.
//!
//! # Personal data and errors
//!
//! Names, birth dates and addresses are never read. The NIR/NTT is only hashed into a person key
//! (hex SHA-256 of salt + number, [`pseudonym_key`]); the salt comes from
//! `RELEVE_PSEUDONYM_SALT`, else from the caller ([`salt_from_env`]). Nothing here logs, and
//! errors ([`DsnError`]) give the file, line number and rubric code, never a value. A file with
//! any error gives nothing at all (all or nothing); in a folder, the other files still count.

mod blocks;
pub mod engagements;
mod lines;

use crate::CollectorError;
use releve_domain::employment::Engagement;
use releve_domain::Month;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Environment variable holding the pseudonym salt.
pub const SALT_ENV: &str = "RELEVE_PSEUDONYM_SALT";

/// Settings for reading DSN files. [`DsnOptions::new`] gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsnOptions {
    /// Salt of the person keys.
    pub salt: String,
    /// `S21.G00.53.003` units counted as cachets.
    pub cachet_units: Vec<String>,
    /// `S21.G00.40.021` motifs meaning CDD d'usage.
    pub cddu_motifs: Vec<String>,
    /// `S21.G00.40.022` codes meaning the Congés Spectacles caisse.
    pub conges_spectacles_caisse_codes: Vec<String>,
    /// PCS-ESE codes of technicians (lower case, e.g. `637c`).
    pub technician_pcs: Vec<String>,
    /// `S21.G00.51.011` types whose amounts make the gross pay.
    pub gross_pay_types: Vec<String>,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl DsnOptions {
    pub fn new(salt: impl Into<String>) -> DsnOptions {
        DsnOptions {
            salt: salt.into(),
            cachet_units: strings(&["36", "37", "39"]),
            cddu_motifs: strings(&["05"]),
            conges_spectacles_caisse_codes: strings(&["01"]),
            technician_pcs: strings(&["353c", "465a", "465b", "465c", "637c"]),
            gross_pay_types: strings(&["001"]),
        }
    }
}

/// The salt to use: `RELEVE_PSEUDONYM_SALT` when set and not blank, else `stored` (the salt the
/// binary generated once and keeps in the database).
pub fn salt_from_env(stored: &str) -> String {
    match std::env::var(SALT_ENV) {
        Ok(s) if !s.trim().is_empty() => s,
        _ => stored.to_string(),
    }
}

/// Pseudonymous person key: lower-case hex SHA-256 of salt followed by the number (spaces
/// removed, upper case, so `2 85 03…` and `285 03…` give the same key).
pub fn pseudonym_key(salt: &str, number: &str) -> String {
    let number: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(number.as_bytes());
    hex::encode(h.finalize())
}

/// Why a DSN file was refused. Never carries a value of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsnError {
    pub path: Option<PathBuf>,
    pub line: Option<u64>,
    pub rubric: Option<String>,
    /// What is wrong and what to do, in French.
    pub reason: String,
}

impl DsnError {
    pub fn line(line: u64, rubric: Option<String>, reason: impl Into<String>) -> DsnError {
        DsnError {
            path: None,
            line: Some(line),
            rubric,
            reason: reason.into(),
        }
    }

    pub fn general(reason: impl Into<String>) -> DsnError {
        DsnError {
            path: None,
            line: None,
            rubric: None,
            reason: reason.into(),
        }
    }

    fn in_file(mut self, path: &Path) -> DsnError {
        self.path = Some(path.to_path_buf());
        self
    }
}

impl fmt::Display for DsnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DSN")?;
        if let Some(p) = &self.path {
            write!(f, " {}", p.display())?;
        }
        if let Some(l) = self.line {
            write!(f, ", ligne {l}")?;
        }
        if let Some(r) = &self.rubric {
            write!(f, " ({r})")?;
        }
        write!(
            f,
            " : {} ; le fichier n'a pas été importé, corrigez-le ou demandez un nouvel export au \
             logiciel de paie",
            self.reason
        )
    }
}

impl std::error::Error for DsnError {}

impl From<DsnError> for CollectorError {
    fn from(e: DsnError) -> CollectorError {
        CollectorError::Other(e.to_string())
    }
}

/// `S20.G00.05.002`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeclarationKind {
    /// `01`.
    Normale,
    /// `02`: no individual this month.
    SansIndividu,
    /// `03`: replaces the file of the same establishment and month.
    AnnuleEtRemplace,
    /// `04`: cancels it.
    Annule,
}

/// One DSN file, read whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsnFile {
    pub path: Option<PathBuf>,
    pub kind: DeclarationKind,
    pub month: Month,
    /// `S20.G00.05.007`, when given.
    pub declared_on: Option<chrono::NaiveDate>,
    /// SIRET of every establishment of the file, sorted.
    pub employer_sirets: Vec<String>,
    /// Sorted by SIRET, contract, period, person.
    pub engagements: Vec<Engagement>,
}

/// What payroll says for one employer and month: the unit the store replaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayrollBatch {
    pub employer_siret: String,
    pub month: Month,
    pub engagements: Vec<Engagement>,
}

/// Parses one DSN file's bytes. Pure; all or nothing.
pub fn parse(source: &str, bytes: &[u8], options: &DsnOptions) -> Result<DsnFile, DsnError> {
    let text = lines::decode(bytes);
    let rubrics = lines::rubrics(&text)?;
    let d = blocks::walk(&rubrics)?;
    match d.nature.as_deref() {
        Some("01") => {}
        Some(_) => {
            return Err(DsnError::general(
                "nature de déclaration non prise en charge (S20.G00.05.001) ; seule la DSN \
                 mensuelle (01) est lue",
            ))
        }
        None => {
            return Err(DsnError::general(
                "bloc déclaration absent (S20.G00.05.001) ; est-ce bien un fichier DSN ?",
            ))
        }
    }
    let kind =
        match d.kind.as_deref() {
            Some("01") => DeclarationKind::Normale,
            Some("02") => DeclarationKind::SansIndividu,
            Some("03") => DeclarationKind::AnnuleEtRemplace,
            Some("04") => DeclarationKind::Annule,
            _ => return Err(DsnError::general(
                "type de déclaration absent ou non pris en charge (S20.G00.05.002) ; attendu : \
                 01, 02, 03 ou 04",
            )),
        };
    let Some((first_day, line)) = d.month else {
        return Err(DsnError::general(
            "mois principal déclaré absent (S20.G00.05.005)",
        ));
    };
    let month = Month::of_date(first_day);
    if first_day != month.first_day() {
        return Err(DsnError::line(
            line,
            Some("S20.G00.05.005".into()),
            "le mois déclaré doit être le premier jour du mois (01MMAAAA)",
        ));
    }
    let siren = d.siren.clone().unwrap_or_default();
    let mut employer_sirets: Vec<String> = d
        .establishments
        .iter()
        .filter_map(|e| e.nic.as_ref().map(|nic| format!("{siren}{nic}")))
        .collect();
    employer_sirets.sort();
    employer_sirets.dedup();
    let engagements = match kind {
        DeclarationKind::Annule => Vec::new(),
        _ => engagements::build(source, &d, month, options)?,
    };
    Ok(DsnFile {
        path: None,
        kind,
        month,
        declared_on: d.declared_on,
        employer_sirets,
        engagements,
    })
}

/// What a DSN source gave: the files read and the files refused.
#[derive(Debug, Default)]
pub struct DsnImport {
    pub files: Vec<DsnFile>,
    pub failures: Vec<DsnError>,
}

/// Reads a DSN file or every file of a folder (name order). An unreadable path is an error; a
/// refused file goes to [`DsnImport::failures`] and the others still count.
pub fn read_path(
    source: &str,
    path: &Path,
    options: &DsnOptions,
) -> Result<DsnImport, CollectorError> {
    let io_err = |p: &Path, e| CollectorError::Io {
        path: p.to_path_buf(),
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
    let mut paths = Vec::new();
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| io_err(path, e))? {
            let entry = entry.map_err(|e| io_err(path, e))?;
            let p = entry.path();
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if p.is_file() && !hidden {
                paths.push(p);
            }
        }
        paths.sort();
    } else {
        paths.push(path.to_path_buf());
    }
    let mut import = DsnImport::default();
    for p in paths {
        let bytes = std::fs::read(&p).map_err(|e| io_err(&p, e))?;
        match parse(source, &bytes, options) {
            Ok(mut file) => {
                file.path = Some(p);
                import.files.push(file);
            }
            Err(e) => import.failures.push(e.in_file(&p)),
        }
    }
    Ok(import)
}

/// Applies replacement in order (month, file date, path): each file replaces what earlier
/// files said for its (SIRET, month) keys. One batch per key, sorted by month then SIRET.
pub fn merge(files: &[DsnFile]) -> Vec<PayrollBatch> {
    let mut ordered: Vec<&DsnFile> = files.iter().collect();
    ordered
        .sort_by(|a, b| (a.month, a.declared_on, &a.path).cmp(&(b.month, b.declared_on, &b.path)));
    let mut batches: BTreeMap<(Month, String), Vec<Engagement>> = BTreeMap::new();
    for file in ordered {
        for siret in &file.employer_sirets {
            let engagements = file
                .engagements
                .iter()
                .filter(|e| &e.employer_siret == siret)
                .cloned()
                .collect();
            batches.insert((file.month, siret.clone()), engagements);
        }
    }
    batches
        .into_iter()
        .map(|((month, employer_siret), engagements)| PayrollBatch {
            employer_siret,
            month,
            engagements,
        })
        .collect()
}

#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tests;
