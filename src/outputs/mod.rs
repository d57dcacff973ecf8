//! The files of a monthly run (`formats.md` §5): `aggregates.json`, the declarations' files,
//! `issues.json` and `report.html`, assembled in memory and then written to
//! `OUT/<organisation>/<YYYY-MM>/`. Every file is deterministic: the same inputs and the same
//! generation time give byte-identical files.

pub mod aggregates;
pub mod chart;
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
    issues::sort(&mut issues);
    issues
}

impl MonthOutputs {
    /// Adds files produced elsewhere (indicators), keeping the list sorted by name.
    pub fn add_files(&mut self, files: impl IntoIterator<Item = RenderedFile>) {
        self.files.extend(files);
        self.files.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Writes every file into `folder` (created if needed). Files are written whole then
    /// renamed, so a crash never leaves a half-written declaration.
    pub fn write(&self, folder: &Path) -> Result<()> {
        std::fs::create_dir_all(folder).with_context(|| {
            format!(
                "impossible de créer le dossier de sortie {}",
                folder.display()
            )
        })?;
        // An amendment file from an earlier run that no longer applies (the figures went back to
        // the approved ones, or the correction was approved) must not linger.
        for entry in std::fs::read_dir(folder)
            .with_context(|| format!("impossible de lire le dossier {}", folder.display()))?
        {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.ends_with("-amendment.json") && !self.files.iter().any(|f| f.name == name) {
                std::fs::remove_file(folder.join(&name)).with_context(|| {
                    format!("impossible de retirer {}", folder.join(&name).display())
                })?;
            }
        }
        for file in &self.files {
            write_atomically(folder, &file.name, &file.bytes)?;
        }
        Ok(())
    }
}

/// Writes a file whole under a temporary name, then renames it: a crash never leaves a
/// half-written declaration behind.
pub fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = folder.join(name);
    let temporary = folder.join(format!(".{name}.tmp"));
    std::fs::write(&temporary, bytes)
        .with_context(|| format!("impossible d'écrire {}", temporary.display()))?;
    std::fs::rename(&temporary, &target)
        .with_context(|| format!("impossible d'écrire {}", target.display()))
}
