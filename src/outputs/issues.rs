//! `issues.json`: everything that needs a person — unlinked programme rows, quarantined
//! records, missing required fields, blocking review questions, failed sources.

use super::aggregates::to_json;
use releve_collectors::SourceKind;
use releve_domain::{Issue, MonthFacts, Quarantined, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct IssuesFile<'a> {
    schema_version: u32,
    organisation: &'a str,
    month: String,
    counts: Counts,
    issues: &'a [Issue],
}

#[derive(Serialize)]
struct Counts {
    blocking: usize,
    warning: usize,
    info: usize,
    quarantined: usize,
}

/// A quarantined record as an issue, with its raw row.
pub fn quarantine_issue(q: &Quarantined) -> Issue {
    let place = match (&q.line, &q.column) {
        (Some(l), Some(c)) => format!("ligne {l}, colonne {c}"),
        (Some(l), None) => format!("ligne {l}"),
        (None, Some(c)) => format!("champ {c}"),
        (None, None) => "enregistrement".to_string(),
    };
    let mut issue = Issue::warning(
        "quarantine",
        format!(
            "Source {}, {place} : {} L'enregistrement est mis de côté ; {}",
            q.source,
            q.reason,
            what_to_do(&q.source)
        ),
    )
    .at_source(&q.source, q.line);
    issue.column = q.column.clone();
    issue.raw = Some(q.raw.clone());
    issue
}

/// The way out of quarantine depends on the kind of source: a file is corrected and read again
/// whole; a vendor's record is corrected at the vendor and re-read, and the stored answers can be
/// read again at any time with `releve renormalise`.
fn what_to_do(source: &str) -> String {
    let kind = source.split('#').next().and_then(SourceKind::parse);
    match kind {
        Some(k) if k.is_api() => format!(
            "corrigez-le chez l'éditeur de billetterie (il sera relu à la prochaine synchronisation), \
             ou, après une correction de releve, lancez `releve renormalise --source {source}`."
        ),
        _ => "corrigez la source puis relancez.".to_string(),
    }
}

/// Blocking first, then by code, source, line, performance and message.
pub fn sort(issues: &mut Vec<Issue>) {
    issues.sort_by(|a, b| {
        (
            a.severity,
            &a.code,
            &a.source,
            a.line,
            &a.performance_id,
            &a.message,
        )
            .cmp(&(
                b.severity,
                &b.code,
                &b.source,
                b.line,
                &b.performance_id,
                &b.message,
            ))
    });
    issues.dedup();
}

pub fn render(facts: &MonthFacts, issues: &[Issue]) -> Vec<u8> {
    let count = |s: Severity| issues.iter().filter(|i| i.severity == s).count();
    to_json(&IssuesFile {
        schema_version: 1,
        organisation: &facts.organisation.slug,
        month: facts.month.to_string(),
        counts: Counts {
            blocking: count(Severity::Blocking),
            warning: count(Severity::Warning),
            info: count(Severity::Info),
            quarantined: issues.iter().filter(|i| i.code == "quarantine").count(),
        },
        issues,
    })
}
