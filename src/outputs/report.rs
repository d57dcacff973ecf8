//! `report.html`: the month at a glance, in French — what is due to whom and when, the totals,
//! the performances, and what needs a person. Rendered with tera from
//! `templates/report.html.tera` (embedded in the binary).

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use releve_declarations::{Body, Summary};
use releve_documents::fr;
use releve_domain::{Issue, Money, MonthFacts, Severity, PARIS};
use serde::Serialize;
use std::collections::BTreeMap;

const TEMPLATE: &str = include_str!("../../templates/report.html.tera");

#[derive(Serialize)]
struct DueRow {
    title: &'static str,
    recipient: &'static str,
    deadline: String,
    amount: String,
    lines: usize,
    note: String,
    status: String,
}

#[derive(Serialize)]
struct PerformanceRow {
    date: String,
    title: String,
    venue: String,
    discipline: String,
    paid: String,
    free: String,
    capacity: String,
    incl: String,
    excl: String,
    flags: String,
    cancelled: bool,
}

#[derive(Serialize)]
struct IssueRow {
    severity: &'static str,
    message: String,
}

/// `14 novembre 2025`, `1er décembre 2025`: kept for its callers, the one formatter is
/// [`releve_documents::fr::long_date`].
pub fn french_date(date: NaiveDate) -> String {
    fr::long_date(date)
}

pub fn render_html(
    facts: &MonthFacts,
    summaries: &[Summary],
    issues: &[Issue],
    statuses: &BTreeMap<Body, String>,
    generated_at: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let due: Vec<DueRow> = summaries
        .iter()
        .map(|s| DueRow {
            title: s.body.title_fr(),
            recipient: s.body.recipient_fr(),
            deadline: s.deadline.map(french_date).unwrap_or_else(|| "—".into()),
            amount: s
                .amount_due
                .map(fr::money)
                .unwrap_or_else(|| "calculé par l'organisme".into()),
            lines: s.lines,
            note: s.note.clone(),
            status: statuses
                .get(&s.body)
                .cloned()
                .unwrap_or_else(|| "brouillon".into()),
        })
        .collect();
    let performances: Vec<PerformanceRow> = facts
        .performances
        .iter()
        .map(|p| {
            let mut flags = Vec::new();
            if p.cancelled {
                flags.push("annulée");
            }
            if p.free_admission {
                flags.push("entrée libre");
            }
            if p.creation {
                flags.push("création");
            }
            if p.off_site {
                flags.push("hors les murs");
            }
            PerformanceRow {
                date: p
                    .starts_at
                    .with_timezone(&PARIS)
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
                title: p.show_title.clone(),
                venue: p.venue.name.clone(),
                // The French label of the bundled table (the same vocabulary as any
                // configured one: a table may route differently, not rename).
                discipline: p
                    .discipline
                    .map(|d| {
                        releve_domain::DisciplineTable::default_table()
                            .routing(d)
                            .label_fr
                            .clone()
                    })
                    .unwrap_or_else(|| "inconnue".into()),
                paid: fr::count(p.paid_tickets),
                free: fr::count(p.free_tickets),
                capacity: p
                    .capacity
                    .map(|c| fr::count(u64::from(c)))
                    .unwrap_or_default(),
                incl: fr::money(p.receipts_incl_vat),
                excl: fr::money(p.receipts_excl_vat),
                flags: flags.join(", "),
                cancelled: p.cancelled,
            }
        })
        .collect();
    let attention: Vec<IssueRow> = issues
        .iter()
        .filter(|i| i.needs_attention())
        .map(|i| IssueRow {
            severity: if i.severity == Severity::Blocking {
                "bloquant"
            } else {
                "à vérifier"
            },
            message: i.message.clone(),
        })
        .collect();
    let infos: Vec<String> = issues
        .iter()
        .filter(|i| i.severity == Severity::Info)
        .map(|i| i.message.clone())
        .collect();
    let total_incl: Money = facts.performances.iter().map(|p| p.receipts_incl_vat).sum();
    let total_excl: Money = facts.performances.iter().map(|p| p.receipts_excl_vat).sum();

    let mut context = tera::Context::new();
    context.insert("organisation", &facts.organisation.name);
    context.insert("siret", &fr::siret(facts.organisation.siret.as_str()));
    context.insert("month", &fr::month(facts.month));
    context.insert("generated_at", &fr::date_time(generated_at));
    context.insert("due", &due);
    context.insert("performances", &performances);
    context.insert("attention", &attention);
    context.insert("infos", &infos);
    let cancelled = facts.performances.iter().filter(|p| p.cancelled).count();
    context.insert("count", &fr::count(facts.performances.len() as u64));
    context.insert("cancelled", &cancelled);
    let paid: u64 = facts.performances.iter().map(|p| p.paid_tickets).sum();
    let free: u64 = facts.performances.iter().map(|p| p.free_tickets).sum();
    let capacity: u64 = facts
        .performances
        .iter()
        .filter(|p| !p.cancelled)
        .filter_map(|p| p.capacity)
        .map(u64::from)
        .sum();
    context.insert("paid", &fr::count(paid));
    context.insert("free", &fr::count(free));
    context.insert("capacity_total", &fr::count(capacity));
    context.insert("total_incl", &fr::money(total_incl));
    context.insert("total_excl", &fr::money(total_excl));
    // The charts of report.pdf, drawn by the same helper as SVG.
    let charts: String = releve_declarations::report_pdf::charts(facts)
        .iter()
        .map(|(id, title, chart)| releve_documents::chart::to_svg(chart, id, title))
        .collect();
    context.insert("chart", &charts);
    let html = tera::Tera::one_off(TEMPLATE, &context, true).context("modèle du rapport")?;
    Ok(html.into_bytes())
}
