//! The run's files as the workspace offers them: the server never computes a declaration
//! again, it serves what `releve run` wrote into its output folder (`OUT/<org>/<month>/`,
//! formats.md §5) — but only a file whose SHA-256 is one the store recorded for that version
//! (the draft's files at the run, the frozen copies at approval). A file that a later run has
//! rewritten is therefore never passed off as an older version.
//!
//! Also reads the month's `issues.json` (the points to check), which the run writes beside the
//! declarations and the store does not keep.

use crate::lifecycle::sha256_hex;
use crate::server::AppState;
use releve_domain::Month;
use releve_store::{AuditEntry, VersionRecord};
use std::path::PathBuf;

/// Why a version's file cannot be served.
#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    /// The server was started without the runs' output folder.
    NoOutputFolder,
    /// The version has no file of that format.
    NoSuchFormat,
    /// The folder holds no file with the bytes recorded for this version (a later run
    /// rewrote it, or it was removed).
    NotInFolder,
}

impl FileError {
    /// In French, for the page.
    pub fn message_fr(&self) -> &'static str {
        match self {
            FileError::NoOutputFolder => {
                "Aucun dossier de sortie connu : lancez le relevé du mois, ou démarrez le serveur avec \
                 `releve serve --out DOSSIER` (le dossier de `releve run --out`)."
            }
            FileError::NoSuchFormat => "Cette déclaration n'a pas de fichier dans ce format.",
            FileError::NotInFolder => {
                "Le dossier de sortie ne contient plus ce fichier tel qu'il a été enregistré pour \
                 cette version (un relevé plus récent l'a remplacé)."
            }
        }
    }
}

/// The runs' output folder: the server's own (`serve --out`), else the `--out` of the
/// organisation's last finished run as the run recorded it (the same folder `releve approve`
/// freezes versions into).
pub async fn output_root(state: &AppState, org: &str) -> Option<PathBuf> {
    match state.output() {
        Some(dir) => Some(dir.to_path_buf()),
        None => crate::approval::last_output_folder(state.store(), org)
            .await
            .ok()
            .flatten(),
    }
}

/// The folder of one organisation and month.
pub async fn month_folder(state: &AppState, org: &str, month: Month) -> Option<PathBuf> {
    output_root(state, org)
        .await
        .map(|root| root.join(org).join(month.to_string()))
}

/// `cnm` + version 2 + `pdf` → `cnm.v2.pdf`, the name of a frozen copy in `versions/`.
pub fn frozen_name(body: &str, number: u32, format: &str) -> String {
    format!("{body}.v{number}.{format}")
}

/// The formats of a version's files, as the run recorded them (`json`, `csv`, `xml`, `pdf`).
pub fn formats(version: &VersionRecord) -> Vec<String> {
    let prefix = format!("{}.", version.body);
    let mut formats: Vec<String> = version
        .files
        .iter()
        .filter_map(|f| f.name.strip_prefix(&prefix))
        .filter(|ext| !ext.contains('.'))
        .map(str::to_string)
        .collect();
    // The order of the download links: the model first, then what people open.
    let rank = |f: &str| ["json", "csv", "xml", "pdf"].iter().position(|x| *x == f);
    formats.sort_by_key(|f| (rank(f), f.clone()));
    formats
}

/// The SHA-256 recorded for a version's file of that format: the run's draft file and, once
/// approved, the frozen copy named in the approval's audit line (`frozen_files`).
fn recorded_hashes(version: &VersionRecord, format: &str, audit: &[AuditEntry]) -> Vec<String> {
    let draft_name = format!("{}.{format}", version.body);
    let frozen = frozen_name(&version.body, version.number, format);
    let mut hashes: Vec<String> = version
        .files
        .iter()
        .filter(|f| f.name == draft_name)
        .map(|f| f.sha256.clone())
        .collect();
    for entry in audit.iter().filter(|e| {
        e.action == "approve"
            && e.body.as_deref() == Some(version.body.as_str())
            && e.month == Some(version.month)
            && e.details["version"] == version.number
    }) {
        if let Some(files) = entry.details["frozen_files"].as_array() {
            hashes.extend(
                files
                    .iter()
                    .filter(|f| f["name"] == frozen.as_str())
                    .filter_map(|f| f["sha256"].as_str().map(str::to_string)),
            );
        }
    }
    hashes
}

/// The bytes of a version's file and the name to download it under. The frozen copy
/// (`versions/<body>.v<N>.<ext>`) is preferred; the month's top-level file is served when it
/// still holds this version's bytes.
pub async fn version_file(
    state: &AppState,
    version: &VersionRecord,
    format: &str,
    audit: &[AuditEntry],
) -> Result<(String, Vec<u8>), FileError> {
    if !formats(version).iter().any(|f| f == format) {
        return Err(FileError::NoSuchFormat);
    }
    let folder = month_folder(state, &version.org, version.month)
        .await
        .ok_or(FileError::NoOutputFolder)?;
    let hashes = recorded_hashes(version, format, audit);
    let frozen = frozen_name(&version.body, version.number, format);
    let candidates = [
        (folder.join("versions").join(&frozen), frozen.clone()),
        (
            folder.join(format!("{}.{format}", version.body)),
            format!("{}.{format}", version.body),
        ),
    ];
    for (path, _) in candidates {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if hashes.contains(&sha256_hex(&bytes)) {
            // Downloaded under the version's name, so that two versions never collide.
            return Ok((frozen, bytes));
        }
    }
    Err(FileError::NotInFolder)
}

/// The month's points to check (`issues.json`'s `issues`), when the folder has them.
pub async fn month_issues(
    state: &AppState,
    org: &str,
    month: Month,
) -> Option<Vec<serde_json::Value>> {
    let path = month_folder(state, org, month).await?.join("issues.json");
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["issues"].as_array().cloned()
}

/// The content type of a declaration file.
pub fn content_type(format: &str) -> &'static str {
    match format {
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use releve_store::{FileHash, VersionStatus};

    fn version(files: &[&str]) -> VersionRecord {
        VersionRecord {
            id: 1,
            org: "o".into(),
            body: "cnm".into(),
            month: "2025-11".parse().unwrap(),
            span: releve_store::Span::Month("2025-11".parse().unwrap()),
            number: 2,
            status: VersionStatus::Draft,
            model: serde_json::json!({}),
            files: files
                .iter()
                .map(|n| FileHash {
                    name: n.to_string(),
                    sha256: format!("h-{n}"),
                })
                .collect(),
            created_at: Utc::now(),
            previous_approved: None,
            is_amendment: false,
            approved_by: None,
            approved_at: None,
            submission: None,
            answered_at: None,
            answer: None,
        }
    }

    #[test]
    fn formats_come_from_the_recorded_files_in_a_fixed_order() {
        let v = version(&["cnm.pdf", "cnm.json", "cnm-amendment.json", "cnm.csv"]);
        assert_eq!(formats(&v), ["json", "csv", "pdf"]);
    }

    #[test]
    fn the_frozen_copy_hash_comes_from_the_approval_of_that_version_only() {
        let v = version(&["cnm.pdf"]);
        let entry = |number: u32, hash: &str| AuditEntry {
            id: 1,
            org: "o".into(),
            at: Utc::now(),
            actor: "a".into(),
            action: "approve".into(),
            body: Some("cnm".into()),
            month: Some("2025-11".parse().unwrap()),
            details: serde_json::json!({
                "version": number,
                "frozen_files": [{"name": format!("cnm.v{number}.pdf"), "sha256": hash}],
            }),
        };
        let audit = [entry(1, "old"), entry(2, "frozen")];
        assert_eq!(recorded_hashes(&v, "pdf", &audit), ["h-cnm.pdf", "frozen"]);
    }
}
