//! The files of a monthly run (`formats.md` §5): `aggregates.json`, the declarations' files,
//! `issues.json` and `report.html`, assembled in memory and then written to
//! `OUT/<organisation>/<YYYY-MM>/`. Every file is deterministic: the same inputs and the same
//! generation time give byte-identical files.

pub mod aggregates;
pub mod completeness;
pub mod csv_style;
pub mod issues;
pub mod report;
pub mod summary;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use releve_declarations::report_pdf::render_report_pdf_with_statuses;
use releve_declarations::{Body, Draft, RenderedFile, Summary};
use releve_domain::employment::EmploymentFacts;
use releve_domain::{Issue, MonthFacts, Quarantined};
use std::collections::BTreeMap;
use std::path::Path;

/// Everything written for one organisation and month.
pub struct MonthOutputs {
    pub organisation: String,
    pub organisation_name: String,
    pub month: releve_domain::Month,
    pub files: Vec<RenderedFile>,
    pub summaries: Vec<Summary>,
    /// Every issue of the month (facts, declarations, quarantine, failed sources), sorted.
    pub issues: Vec<Issue>,
    pub quarantined: usize,
    pub performances: usize,
    pub paid_tickets: u64,
    pub free_tickets: u64,
    /// Per body with a correction waiting for approval: what it is, in one sentence.
    pub corrections: BTreeMap<Body, String>,
    /// Bodies without a draft this month (a source they are built from failed): their files
    /// from an earlier run are removed.
    pub withheld: Vec<Body>,
}

pub fn build(
    facts: &MonthFacts,
    employment: Option<&[EmploymentFacts]>,
    drafts: &[Draft],
    quarantine: &[Quarantined],
    extra_issues: Vec<Issue>,
    statuses: &BTreeMap<Body, String>,
    generated_at: DateTime<Utc>,
) -> Result<MonthOutputs> {
    let issues = collect_issues(facts, drafts, quarantine, extra_issues);

    let mut files = vec![RenderedFile {
        name: "aggregates.json".into(),
        bytes: aggregates::render(facts, employment),
    }];
    for draft in drafts {
        files.extend(draft.files.iter().cloned());
    }
    let summaries: Vec<Summary> = drafts.iter().map(|d| d.summary.clone()).collect();
    // "incomplet" and why, before the version status, wherever the report says a status.
    let statuses: BTreeMap<Body, String> = summaries
        .iter()
        .map(|s| {
            let status = statuses
                .get(&s.body)
                .cloned()
                .unwrap_or_else(|| "brouillon".into());
            match completeness::reasons(s.body, &issues) {
                Some(why) => (s.body, format!("{why} — {status}")),
                None => (s.body, status),
            }
        })
        .collect();
    let statuses = &statuses;
    files.push(RenderedFile {
        name: "issues.json".into(),
        bytes: issues::render(facts, &issues),
    });
    files.push(RenderedFile {
        name: "report.html".into(),
        bytes: report::render_html(facts, &summaries, &issues, statuses, generated_at)?,
    });
    files.push(RenderedFile {
        name: "report.pdf".into(),
        bytes: render_report_pdf_with_statuses(facts, &summaries, &issues, statuses, generated_at)
            .map_err(|e| anyhow::anyhow!("rapport PDF : {e}"))?,
    });
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(MonthOutputs {
        organisation: facts.organisation.slug.clone(),
        organisation_name: facts.organisation.name.clone(),
        month: facts.month,
        files,
        summaries,
        quarantined: quarantine.len(),
        performances: facts.performances.len(),
        paid_tickets: facts.performances.iter().map(|p| p.paid_tickets).sum(),
        free_tickets: facts.performances.iter().map(|p| p.free_tickets).sum(),
        issues,
        corrections: BTreeMap::new(),
        withheld: Vec::new(),
    })
}

/// The issues of `issues.json`: the facts', the declarations', `extra` (failed sources, version
/// points) and the quarantine, sorted. The workspace's *À traiter* page lists the same.
pub fn collect_issues(
    facts: &MonthFacts,
    drafts: &[Draft],
    quarantine: &[Quarantined],
    extra: Vec<Issue>,
) -> Vec<Issue> {
    let mut issues: Vec<Issue> = facts.issues.clone();
    for draft in drafts {
        issues.extend(draft.issues.iter().cloned());
    }
    issues.extend(extra);
    issues.extend(quarantine.iter().map(issues::quarantine_issue));
    issues::name_quarantined_programme(&mut issues, quarantine);
    issues::sort(&mut issues);
    issues
}

impl MonthOutputs {
    /// Adds files produced elsewhere (indicators), keeping the list sorted by name.
    pub fn add_files(&mut self, files: impl IntoIterator<Item = RenderedFile>) {
        self.files.extend(files);
        self.files.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Writes every file into `folder` (created if needed): all of them first under temporary
    /// names, then renamed into place. A write that fails (disk full, folder read-only) leaves
    /// every previous file as it was; a crash never leaves a half-written declaration (the
    /// next run removes the temporaries it finds).
    pub fn write(&self, folder: &Path) -> Result<()> {
        std::fs::create_dir_all(folder).with_context(|| {
            format!(
                "impossible de créer le dossier de sortie {}",
                folder.display()
            )
        })?;
        remove_leftover_temporaries(folder)?;
        let files: Vec<(&str, &[u8])> = self
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.bytes.as_slice()))
            .collect();
        write_all_atomically(folder, &files)?;
        // An amendment file from an earlier run that no longer applies (the figures went back to
        // the approved ones, or the correction was approved) must not linger, nor the draft of a
        // body withheld this month (it would pass for this month's). `versions/` is never touched.
        for entry in std::fs::read_dir(folder)
            .with_context(|| format!("impossible de lire le dossier {}", folder.display()))?
        {
            let name = entry?.file_name().to_string_lossy().into_owned();
            let withheld = self.withheld.iter().any(|b| {
                name.split('.').next() == Some(b.code()) && name.matches('.').count() == 1
            });
            let stale = name.ends_with("-amendment.json") || withheld;
            if stale && !self.files.iter().any(|f| f.name == name) {
                std::fs::remove_file(folder.join(&name)).with_context(|| {
                    format!("impossible de retirer {}", folder.join(&name).display())
                })?;
            }
        }
        Ok(())
    }
}

/// Writes several files of one folder as one change: every temporary first (synced), then the
/// renames. If a temporary cannot be written, all of them are removed and nothing changed.
pub fn write_all_atomically(folder: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let mut temporaries = Vec::with_capacity(files.len());
    let discard = |temporaries: &[std::path::PathBuf]| {
        for t in temporaries {
            let _ = std::fs::remove_file(t);
        }
    };
    for (name, bytes) in files {
        let temporary = folder.join(format!("{TEMPORARY_PREFIX}{name}{TEMPORARY_SUFFIX}"));
        if let Err(e) = write_synced(&temporary, bytes) {
            let _ = std::fs::remove_file(&temporary);
            discard(&temporaries);
            return Err(write_error(&folder.join(name), e));
        }
        temporaries.push(temporary);
        releve_store::faults::point("outputs.temporary");
    }
    for (i, ((name, _), temporary)) in files.iter().zip(&temporaries).enumerate() {
        let target = folder.join(name);
        if let Err(e) = std::fs::rename(temporary, &target) {
            discard(&temporaries[i..]);
            return Err(write_error(&target, e));
        }
        releve_store::faults::point("outputs.file");
    }
    Ok(())
}

/// Writes one file whole under a temporary name, then renames it (see
/// [`write_all_atomically`]).
pub fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    write_all_atomically(folder, &[(name, bytes)])
}

const TEMPORARY_PREFIX: &str = ".";
const TEMPORARY_SUFFIX: &str = ".tmp";

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(injected) = releve_store::faults::io_failure("outputs.write") {
        return Err(injected);
    }
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// In French, with the cause a user can act on (space, rights).
fn write_error(target: &Path, e: std::io::Error) -> anyhow::Error {
    let hint = match e.raw_os_error() {
        Some(28) => " : le disque est plein ; libérez de la place puis relancez",
        Some(30) => " : le disque est en lecture seule",
        _ if e.kind() == std::io::ErrorKind::PermissionDenied => {
            " : droits insuffisants sur le dossier de sortie"
        }
        _ => "",
    };
    anyhow::anyhow!(
        "impossible d'écrire {}{hint} ({e}) ; le fichier précédent est resté intact",
        target.display()
    )
}

/// Removes the temporary files a crashed run left in `folder` (`.<name>.tmp`).
pub fn remove_leftover_temporaries(folder: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(());
    };
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX) {
            std::fs::remove_file(folder.join(&name)).with_context(|| {
                format!(
                    "impossible de retirer le fichier temporaire {}",
                    folder.join(&name).display()
                )
            })?;
        }
    }
    Ok(())
}
