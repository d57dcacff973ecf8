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
        let deadline = s
            .deadline
            .map(super::report::french_date)
            .unwrap_or_else(|| "—".into());
        let amount = s
            .amount_due
            .map(|m| format!(", {}", m.to_french()))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} : {} ligne(s){amount}, à déposer avant le {deadline}",
            s.body.recipient_fr(),
            s.lines
        )?;
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
