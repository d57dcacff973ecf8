//! The short human summary printed on stdout at the end of a run, in French: per body what is
//! due and by when, "incomplet" and why when something blocks it, or the correction waiting
//! for approval ("rectificatif de la version 1 transmise : +0,83 € à déclarer en complément").

use crate::run::OrganisationRun;
use anyhow::Result;
use releve_domain::Severity;
use std::io::Write;

pub fn print(out: &mut dyn Write, run: &OrganisationRun) -> Result<()> {
    let o = &run.outputs;
    writeln!(out, "{} — {}", o.organisation_name, o.month.to_french())?;
    writeln!(
        out,
        "  {} représentations, {} billets payants, {} exonérés",
        o.performances, o.paid_tickets, o.free_tickets
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
    writeln!(out, "  Fichiers : {}", run.folder.display())?;
    Ok(())
}
