//! `report.pdf`: the month at a glance, in French, for the person who signs: the figures of
//! the month, each declaration due (to whom, by when, status, amount), what needs a person,
//! and two bar charts per performance (attendance paid/free, receipts incl. VAT).
//!
//! Built from the same monthly facts and declaration summaries as the other outputs, with the
//! shared PDF form renderer (its `Bars` block draws the charts), so the bytes depend only on
//! the inputs and `generated_at`.

use crate::render::pdf::{BarChart, Column, Form, Table};
use crate::render::{fr, RenderError};
use crate::Body;
use crate::Summary;
use chrono::{DateTime, Utc};
use releve_domain::calendar::PARIS;
use releve_domain::{Issue, Money, MonthFacts, Severity};
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// Greys of the chart series: paid entries dark, free entries light.
const PAID_GREY: f32 = 0.3;
const FREE_GREY: f32 = 0.75;
const RECEIPTS_GREY: f32 = 0.45;

/// The report of the month as PDF bytes; every declaration is shown as a draft.
pub fn render_report_pdf(
    facts: &MonthFacts,
    summaries: &[Summary],
    issues: &[Issue],
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>, RenderError> {
    render_report_pdf_with_statuses(facts, summaries, issues, &BTreeMap::new(), generated_at)
}

/// The report of the month as PDF bytes, with each declaration's status in French (a body
/// missing from `statuses` is shown as "brouillon").
pub fn render_report_pdf_with_statuses(
    facts: &MonthFacts,
    summaries: &[Summary],
    issues: &[Issue],
    statuses: &BTreeMap<Body, String>,
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>, RenderError> {
    report_form(facts, summaries, issues, statuses, generated_at)
        .render(generated_at)
        .map_err(RenderError::from)
}

pub(crate) fn report_form(
    facts: &MonthFacts,
    summaries: &[Summary],
    issues: &[Issue],
    statuses: &BTreeMap<Body, String>,
    generated_at: DateTime<Utc>,
) -> Form {
    let org = &facts.organisation;
    let generated = fr::date_time(generated_at);
    let mut f = Form::new(format!("Relevé du mois — {}", fr::month(facts.month)));
    f.subtitle(format!("{} — déclarations et chiffres du mois", org.name));
    f.subtitle(format!(
        "Brouillons préparés par releve le {} : rien n'est transmis avant votre approbation.",
        generated
    ));
    f.footer(format!(
        "Relevé — {} — {} — préparé le {}",
        org.name,
        fr::month(facts.month),
        generated
    ));

    glance(&mut f, facts, issues);
    declarations(&mut f, summaries, statuses);
    attention(&mut f, issues);
    charts_section(&mut f, facts);
    f
}

fn glance(f: &mut Form, facts: &MonthFacts, issues: &[Issue]) {
    let p = &facts.performances;
    let paid: u64 = p.iter().map(|p| p.paid_tickets).sum();
    let free: u64 = p.iter().map(|p| p.free_tickets).sum();
    let incl: Money = p.iter().map(|p| p.receipts_incl_vat).sum();
    let excl: Money = p.iter().map(|p| p.receipts_excl_vat).sum();
    let cancelled = p.iter().filter(|p| p.cancelled).count();
    let count = |s: Severity| issues.iter().filter(|i| i.severity == s).count() as u64;
    f.heading("Le mois en bref").fields([
        (
            "Représentations",
            if cancelled > 0 {
                format!(
                    "{} (dont {} annulée{})",
                    fr::count(p.len() as u64),
                    fr::count(cancelled as u64),
                    if cancelled > 1 { "s" } else { "" }
                )
            } else {
                fr::count(p.len() as u64)
            },
        ),
        ("Entrées payantes", fr::count(paid)),
        ("Entrées gratuites", fr::count(free)),
        ("Recettes TTC", fr::money(incl)),
        ("Recettes HT", fr::money(excl)),
        (
            "Points à traiter",
            format!(
                "{} bloquant{}, {} avertissement{}",
                fr::count(count(Severity::Blocking)),
                plural(count(Severity::Blocking)),
                fr::count(count(Severity::Warning)),
                plural(count(Severity::Warning)),
            ),
        ),
    ]);
}

fn plural(n: u64) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

fn declarations(f: &mut Form, summaries: &[Summary], statuses: &BTreeMap<Body, String>) {
    f.heading("Déclarations du mois");
    let mut t = Table::new(vec![
        Column::left("Déclaration", 3.4),
        Column::left("Destinataire", 2.6),
        Column::left("Échéance", 1.3),
        Column::center("Statut", 1.1),
        Column::right("Lignes", 0.8),
        Column::right("Montant", 1.5),
    ]);
    t.font_size(8.0)
        .empty_text("Aucune déclaration préparée ce mois-ci.");
    for s in summaries {
        t.row([
            s.body.title_fr().to_string(),
            s.body.recipient_fr().to_string(),
            s.deadline.map(fr::date).unwrap_or_else(|| "—".into()),
            statuses
                .get(&s.body)
                .cloned()
                .unwrap_or_else(|| "brouillon".to_string()),
            fr::count(s.lines as u64),
            s.amount_due
                .map(fr::money)
                .unwrap_or_else(|| "calculé par l'organisme".into()),
        ]);
    }
    let total: Money = summaries.iter().filter_map(|s| s.amount_due).sum();
    if !summaries.is_empty() {
        t.totals([
            "Total des montants calculés par releve".to_string(),
            String::new(),
            String::new(),
            String::new(),
            fr::count(summaries.iter().map(|s| s.lines as u64).sum()),
            fr::money(total),
        ]);
    }
    f.table(t);
    for s in summaries {
        f.paragraph(s.note.clone());
    }
}

fn attention(f: &mut Form, issues: &[Issue]) {
    f.heading("Ce qui demande une personne");
    let mut needs: Vec<&Issue> = issues.iter().filter(|i| i.needs_attention()).collect();
    needs.sort();
    let mut t = Table::new(vec![
        Column::left("Gravité", 1.7),
        Column::left("Déclaration", 1.5),
        Column::left("Ce qu'il faut faire", 8.8),
    ]);
    t.font_size(7.5)
        .empty_text("Rien à traiter : les brouillons peuvent être vérifiés puis approuvés.");
    for i in needs {
        t.row([
            match i.severity {
                Severity::Blocking => "bloquant",
                Severity::Warning => "avertissement",
                Severity::Info => "information",
            }
            .to_string(),
            i.body.clone().unwrap_or_default().to_uppercase(),
            // The message names the performance by its show and date; its id is for machines.
            i.message.clone(),
        ]);
    }
    f.table(t);
    let mut infos: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.severity == Severity::Info)
        .collect();
    infos.sort();
    infos.dedup_by(|a, b| a.message == b.message);
    for i in infos {
        f.note(i.message.clone());
    }
}

fn performance_label(p: &releve_domain::PerformanceFacts) -> String {
    format!(
        "{} {}{}",
        p.starts_at.with_timezone(&PARIS).format("%d/%m %H:%M"),
        p.show_title,
        if p.cancelled { " (annulée)" } else { "" }
    )
}

/// The two charts of the month, per performance: attendance (paid and free stacked) and
/// receipts incl. VAT, each with its element id and title. Drawn in `report.pdf` and, through
/// the same chart helper, as SVG in `report.html`. A cancelled performance has no bar and says
/// "annulée" where its figures would be.
pub fn charts(facts: &MonthFacts) -> Vec<(&'static str, &'static str, BarChart)> {
    let mut attendance = BarChart {
        series: vec![
            ("Entrées payantes".into(), PAID_GREY),
            ("Entrées gratuites".into(), FREE_GREY),
        ],
        empty_text: "Aucune représentation ce mois-ci.".into(),
        ..BarChart::default()
    };
    let mut receipts = BarChart::single("Recettes TTC", RECEIPTS_GREY);
    receipts.empty_text = attendance.empty_text.clone();
    for p in &facts.performances {
        let label = performance_label(p);
        if p.cancelled {
            attendance.row(label.clone(), Vec::new(), "annulée");
            receipts.row(label, Vec::new(), "annulée");
            continue;
        }
        attendance.row(
            label.clone(),
            vec![p.paid_tickets as f64, p.free_tickets as f64],
            format!(
                "{} + {}",
                fr::count(p.paid_tickets),
                fr::count(p.free_tickets)
            ),
        );
        // Drawing length only; the exact amount is the text.
        receipts.row(
            label,
            vec![p.receipts_incl_vat.amount().to_f64().unwrap_or(0.0)],
            fr::money(p.receipts_incl_vat),
        );
    }
    vec![
        (
            "chart-attendance",
            "Fréquentation par représentation",
            attendance,
        ),
        (
            "chart-receipts",
            "Recettes TTC par représentation",
            receipts,
        ),
    ]
}

fn charts_section(f: &mut Form, facts: &MonthFacts) {
    for (_, title, chart) in charts(facts) {
        f.heading(title).bars(chart);
    }
}

#[cfg(test)]
mod tests;
