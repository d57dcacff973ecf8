//! The short human summary printed on stdout at the end of a run, in French.

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
