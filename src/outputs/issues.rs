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

/// A performance without programme row because its row is in quarantine: the message names
/// the quarantine (where and why) rather than asking to add a row that is there. The row is the
/// performance's when one of its cells is the performance's own id (`P1` for `tickets_csv:P1`).
pub fn name_quarantined_programme(issues: &mut [Issue], quarantine: &[Quarantined]) {
    for issue in issues.iter_mut().filter(|i| i.code == "discipline.missing") {
        let Some(external) = issue
            .performance_id
            .as_deref()
            .and_then(|id| id.split_once(':'))
            .map(|(_, e)| e.to_string())
        else {
            continue;
        };
        let row = quarantine.iter().find(|q| {
            let programme = q
                .source
                .split('#')
                .next()
                .and_then(SourceKind::parse)
                .is_some_and(|k| {
                    matches!(
                        k,
                        SourceKind::ProgrammeCsv
                            | SourceKind::ProgrammeXlsx
                            | SourceKind::ProgrammeOds
                            | SourceKind::ProgrammeIcal
                            | SourceKind::ProgrammeJsonld
                    )
                });
            programme
                && q.raw
                    .split([';', ',', '\t'])
                    .any(|cell| cell.trim() == external)
        });
        if let Some(q) = row {
            let place = q.line.map(|l| format!(", ligne {l}")).unwrap_or_default();
            let what = issue
                .message
                .split(" n'a pas de ligne de programme")
                .next()
                .unwrap_or("La représentation")
                .to_string();
            issue.message = format!(
                "{what} : sa ligne de programme est en quarantaine (source {}{place} : {}) ; sa discipline \
                 est donc inconnue et elle n'est affectée à aucune déclaration. Corrigez cette ligne du \
                 programme puis relancez.",
                q.source,
                q.reason.trim_end_matches('.')
            );
        }
    }
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
