//! `releve trace`: the records behind one performance's figures, so that every figure of a
//! declaration can be traced to the tickets and the programme row it comes from.
//!
//! [`performance_trace`] gathers the data (the workspace's performance page shows the same);
//! [`trace`] prints it for the command line.

use crate::config::{Config, OrganisationConfig};
use crate::month::load_facts;
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use releve_domain::calendar::rfc3339_paris;
use releve_domain::{Money, Month, PerformanceFacts, ProgrammeEntry, Ticket, VatRate, PARIS};
use releve_store::Store;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One performance's figures and the records behind them.
pub struct PerformanceTrace {
    pub facts: PerformanceFacts,
    /// The performance's tickets of every status, in the store's order.
    pub tickets: Vec<Ticket>,
    /// The programme row linked to the performance, when there is one.
    pub programme: Option<ProgrammeEntry>,
}

/// Tickets of one price category at one VAT rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketGroup {
    /// `None` when the source gives no category.
    pub price_category: Option<String>,
    pub vat_rate: VatRate,
    /// Valid tickets with a price above zero.
    pub paid: u64,
    /// Valid tickets at price zero.
    pub free: u64,
    /// Refunded or cancelled (they never count).
    pub void: u64,
    /// Receipts of the valid tickets, VAT included.
    pub receipts_incl_vat: Money,
}

impl PerformanceTrace {
    /// The tickets by price category, then VAT rate (sorted; no category first).
    pub fn groups(&self) -> Vec<TicketGroup> {
        let mut groups: BTreeMap<(Option<String>, VatRate), TicketGroup> = BTreeMap::new();
        for t in &self.tickets {
            let key = (t.price_category.clone(), t.vat_rate);
            let group = groups.entry(key).or_insert_with(|| TicketGroup {
                price_category: t.price_category.clone(),
                vat_rate: t.vat_rate,
                paid: 0,
                free: 0,
                void: 0,
                receipts_incl_vat: Money::ZERO,
            });
            if !t.counts() {
                group.void += 1;
            } else if t.is_free() {
                group.free += 1;
            } else {
                group.paid += 1;
                group.receipts_incl_vat += t.price_incl_vat;
            }
        }
        groups.into_values().collect()
    }
}

/// The trace of `performance_id` in `month`, or `None` when the month has no such performance.
pub async fn performance_trace(
    store: &Store,
    org: &OrganisationConfig,
    month: Month,
    performance_id: &str,
) -> Result<Option<PerformanceTrace>> {
    let facts = load_facts(store, org, month).await?;
    let Some(p) = facts
        .performances
        .into_iter()
        .find(|p| p.performance_id == performance_id)
    else {
        return Ok(None);
    };
    let slug = org.organisation.slug.as_str();
    let tickets = match performance_id.split_once(':') {
        // Only the performances starting at this very second: one performance's tickets, not
        // the month's.
        Some((source, external)) => store
            .tickets_between(
                slug,
                p.starts_at,
                p.starts_at + chrono::Duration::seconds(1),
            )
            .await?
            .into_iter()
            .filter(|t| t.source == source && t.performance_external_id == external)
            .collect(),
        None => Vec::new(),
    };
    // The facts name their programme row as « source ligne N »; read the same window as the
    // facts (one day beyond each end) so that a row near midnight is found.
    let programme = store
        .programme_between(
            slug,
            month.start_utc() - chrono::Duration::days(1),
            month.end_utc() + chrono::Duration::days(1),
        )
        .await?
        .into_iter()
        .find(|e| {
            p.sources
                .contains(&format!("{} ligne {}", e.source, e.line))
        });
    Ok(Some(PerformanceTrace {
        facts: p,
        tickets,
        programme,
    }))
}

pub async fn trace(
    config_path: &Path,
    org: Option<&str>,
    month: &str,
    performance_id: &str,
    out: &mut dyn Write,
) -> Result<Status> {
    let config = Config::load(config_path)?;
    let month: Month = month.parse().map_err(|e| anyhow!("--month : {e}"))?;
    let org = config.one(org)?;
    let store = Store::connect(&config.database_url).await?;
    let Some(trace) = performance_trace(&store, org, month, performance_id).await? else {
        bail!(
            "aucune représentation « {performance_id} » en {month} pour {} (identifiants : voir aggregates.json)",
            org.organisation.slug
        );
    };
    print(&trace, out)?;
    Ok(Status::Success)
}

fn print(trace: &PerformanceTrace, out: &mut dyn Write) -> Result<()> {
    let p = &trace.facts;
    writeln!(
        out,
        "{} — {} — {}",
        p.performance_id,
        p.show_title,
        rfc3339_paris(p.starts_at)
    )?;
    writeln!(out, "Sources : {}", p.sources.join(", "))?;
    writeln!(
        out,
        "Billets payants {}, exonérés {}, remboursés ou annulés {} ; recettes TTC {}, HT {}",
        p.paid_tickets,
        p.free_tickets,
        p.void_tickets,
        p.receipts_incl_vat.to_french(),
        p.receipts_excl_vat.to_french()
    )?;
    for v in &p.vat {
        writeln!(
            out,
            "  TVA {} : {} billet(s), TTC {} → HT {} (arrondi au centime par taux)",
            v.rate.to_french(),
            v.paid_tickets,
            v.receipts_incl_vat.to_french(),
            v.receipts_excl_vat.to_french()
        )?;
    }
    let Some((source, _)) = p.performance_id.split_once(':') else {
        return Ok(());
    };
    writeln!(out, "Billets ({source}) :")?;
    writeln!(out, "  billet\tstatut\tprix TTC\tTVA\ttarif\tvendu le")?;
    for t in &trace.tickets {
        writeln!(
            out,
            "  {}\t{}\t{}\t{}\t{}\t{}",
            t.ticket_id,
            status_fr(t.status),
            t.price_incl_vat.to_french(),
            t.vat_rate.to_french(),
            t.price_category.as_deref().unwrap_or("—"),
            t.sold_at
                .map(|s| s.with_timezone(&PARIS).format("%d/%m/%Y %H:%M").to_string())
                .unwrap_or_else(|| "—".into())
        )?;
    }
    Ok(())
}

/// A ticket's status as the administrator says it.
fn status_fr(status: releve_domain::TicketStatus) -> &'static str {
    match status {
        releve_domain::TicketStatus::Valid => "valide",
        releve_domain::TicketStatus::Refunded => "remboursé",
        releve_domain::TicketStatus::Cancelled => "annulé",
    }
}
