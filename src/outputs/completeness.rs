//! Whether a body's declaration of the month is complete, said the same way in the summary,
//! the report and the report PDF: "incomplet" and why whenever approval would be refused (a
//! source that could not be read, a blocking point that touches the body, quarantined records;
//! `crate::approval::blockers`), never "rien à déclarer" then.
//!
//! A source that could not be read produces no draft for the bodies it feeds (every ticketing
//! or programme source feeds all five; a payroll source feeds the SACEM state), so that no
//! declaration with missing receipts is written; the stale files of an earlier run are removed.

use crate::approval::blockers;
use crate::config::OrganisationConfig;
use crate::run::SourceFailure;
use releve_declarations::{registry, Body, Draft, Summary};
use releve_domain::Issue;

/// Why `body` is incomplete, in French (`None` when nothing blocks it).
pub fn reasons(body: Body, issues: &[Issue]) -> Option<String> {
    let open = blockers(body, issues);
    if open.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    let sources: Vec<&str> = open
        .iter()
        .filter(|i| i.code == "source.failed")
        .filter_map(|i| i.source.as_deref())
        .collect();
    if !sources.is_empty() {
        parts.push(format!(
            "source{} non lue{} : {}",
            plural(sources.len()),
            plural(sources.len()),
            sources.join(", ")
        ));
    }
    let quarantined = open.iter().filter(|i| i.code == "quarantine").count();
    if quarantined > 0 {
        parts.push(format!(
            "{quarantined} enregistrement{} en quarantaine",
            plural(quarantined)
        ));
    }
    let others = open
        .iter()
        .filter(|i| i.code != "quarantine" && i.code != "source.failed")
        .count();
    if others > 0 {
        parts.push(format!(
            "{others} point{} bloquant{}",
            plural(others),
            plural(others)
        ));
    }
    Some(format!(
        "incomplet ({}) — voir issues.json",
        parts.join(" ; ")
    ))
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// The bodies that get no draft because a source they are built from could not be read.
pub fn withheld_bodies(org: &OrganisationConfig, failures: &[SourceFailure]) -> Vec<Body> {
    let failed_kind = |payroll: bool| {
        failures.iter().any(|f| {
            org.sources
                .iter()
                .find(|s| s.key == f.source)
                .is_some_and(|s| crate::payroll::is_payroll(s.kind) == payroll)
        })
    };
    if failed_kind(false) {
        registry().iter().map(|d| d.body()).collect()
    } else if failed_kind(true) {
        vec![Body::Sacem]
    } else {
        Vec::new()
    }
}

/// What the report and summary show for a body whose draft was withheld: no file, no figure.
pub fn withheld_draft(body: Body) -> Draft {
    Draft {
        body,
        model: serde_json::Value::Null,
        files: Vec::new(),
        issues: Vec::new(),
        summary: Summary {
            body,
            lines: 0,
            amount_due: None,
            deadline: None,
            note: format!(
                "{} : aucun brouillon, une source n'a pas pu être lue (voir issues.json).",
                body.code().to_uppercase()
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_why_a_body_is_incomplete() {
        let mut astp = Issue::blocking("astp.exemption.review", "Exonération à confirmer");
        astp.body = Some("astp".into());
        let issues = vec![
            Issue::blocking("source.failed", "La source tickets_csv n'a pas pu être lue")
                .at_source("tickets_csv", None),
            Issue::warning("quarantine", "ligne 4"),
            Issue::warning("quarantine", "ligne 9"),
            astp,
        ];
        assert_eq!(
            reasons(Body::Cnm, &issues).as_deref(),
            Some(
                "incomplet (source non lue : tickets_csv ; 2 enregistrements en quarantaine) — voir issues.json"
            )
        );
        assert_eq!(
            reasons(Body::Astp, &issues[3..]).as_deref(),
            Some("incomplet (1 point bloquant) — voir issues.json")
        );
        assert_eq!(reasons(Body::Cnm, &issues[3..]), None);
    }
}
