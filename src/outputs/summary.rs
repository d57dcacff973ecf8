//! The short human summary printed on stdout at the end of a run, in French: per body what is
//! due and by when, "incomplet" and why when something blocks it, or the correction waiting
//! for approval ("rectificatif de la version 1 transmise : +0,83 € à déclarer en complément").

use crate::run::OrganisationRun;
use anyhow::Result;
use releve_declarations::render::fr;
use releve_domain::Severity;
use std::io::Write;

pub fn print(out: &mut dyn Write, run: &OrganisationRun) -> Result<()> {
    let o = &run.outputs;
    writeln!(out, "{} — {}", o.organisation_name, o.month.to_french())?;
    writeln!(
        out,
        "  {} représentations, {} billets payants, {} exonérés",
        fr::count(o.performances as u64),
        fr::count(o.paid_tickets),
        fr::count(o.free_tickets)
    )?;
    for s in &o.summaries {
        let name = s.body.recipient_fr();
        if let Some(correction) = o.corrections.get(&s.body) {
            writeln!(out, "  {name} : {correction} (à approuver)")?;
            continue;
        }
        if let Some(why) = super::completeness::reasons(s.body, &o.issues) {
            // Figures of an incomplete draft are provisional; a withheld body has none.
            let provisional = match (s.lines, s.amount_due) {
                (0, _) => String::new(),
                (lines, Some(amount)) => format!(
                    " ; brouillon provisoire : {lines} ligne(s), {}",
                    amount.to_french()
                ),
                (lines, None) => format!(" ; brouillon provisoire : {lines} ligne(s)"),
            };
            writeln!(out, "  {name} : {why}{provisional}")?;
            continue;
        }
        match (s.lines, s.deadline) {
            (0, _) | (_, None) => writeln!(
                out,
                "  {} : rien à déclarer ce mois-ci",
                s.body.recipient_fr()
            )?,
            (lines, Some(deadline)) => {
                let amount = s
                    .amount_due
                    .map(|m| format!(", {}", m.to_french()))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {} : {lines} ligne(s){amount}, à déposer au plus tard le {}",
                    s.body.recipient_fr(),
                    super::report::french_date(deadline)
                )?
            }
        }
    }
    for f in &run.failures {
        writeln!(out, "  ÉCHEC de la source {} : {}", f.source, f.message)?;
    }
    let blocking = o
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Blocking)
        .count();
    let warnings = o
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .count();
    if blocking + warnings + o.quarantined > 0 {
        writeln!(
            out,
            "  À traiter : {blocking} point(s) bloquant(s), {warnings} à vérifier, dont {} enregistrement(s) en quarantaine (voir issues.json)",
            o.quarantined
        )?;
    }
    sacd_deadline_lines(out, run)?;
    registry_lines(out, &o.issues)?;
    writeln!(out, "  Fichiers : {}", run.folder.display())?;
    Ok(())
}

/// SACD lines due within the notice or late (`sacd.deadline.near|past`): why the run ends with
/// status 1 and what to do now and from now on, so that the administrator does not read it as a
/// failure of releve.
fn sacd_deadline_lines(out: &mut dyn Write, run: &OrganisationRun) -> Result<()> {
    let o = &run.outputs;
    let due: Vec<_> = o
        .issues
        .iter()
        .filter(|i| i.code.starts_with("sacd.deadline."))
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let late = match due
        .iter()
        .filter(|i| i.code == "sacd.deadline.past")
        .count()
    {
        0 => String::new(),
        n => format!(" dont {n} en retard"),
    };
    let first = o
        .summaries
        .iter()
        .find(|s| s.body == releve_declarations::Body::Sacd)
        .and_then(|s| s.deadline)
        .map(|d| {
            format!(
                ", la première au plus tard le {}",
                super::report::french_date(d)
            )
        })
        .unwrap_or_default();
    let month = o.month.to_string();
    writeln!(
        out,
        "  SACD : {} représentation(s) à déclarer maintenant{late}{first} ; la SACD veut chaque \
         représentation dans les 30 jours, sinon elle facture une provision. C'est un point bloquant : le relevé \
         se termine avec le statut 1 (quelque chose demande une action).",
        due.len()
    )?;
    writeln!(
        out,
        "  À faire : relisez sacd.pdf, puis releve approve --config … --month {month} --body sacd --by \"Nom, \
         fonction\" et releve submit --config … --month {month} --body sacd --by \"Nom, fonction\" ; ensuite, \
         déclarez chaque semaine (releve run --config … --body sacd --from AAAA-MM-JJ --to AAAA-MM-JJ, ou \
         sacd_weekday dans [schedule] de releve serve)."
    )?;
    Ok(())
}

/// The company register's part of the month: unreachable, or how many suggestions it made
/// (the first one in full, so that it is seen without opening `issues.json`).
fn registry_lines(out: &mut dyn Write, issues: &[releve_domain::Issue]) -> Result<()> {
    let register: Vec<_> = issues
        .iter()
        .filter(|i| i.code.starts_with("registry."))
        .collect();
    if let Some(outage) = register.iter().find(|i| i.code == "registry.unavailable") {
        writeln!(out, "  {}", outage.message)?;
    }
    let suggestions: Vec<_> = register.iter().filter(|i| i.suggestion.is_some()).collect();
    if let Some(first) = suggestions.first() {
        writeln!(
            out,
            "  Répertoire des entreprises : {} suggestion(s) à confirmer (voir issues.json), dont : {}",
            suggestions.len(),
            first.message
        )?;
    }
    Ok(())
}
