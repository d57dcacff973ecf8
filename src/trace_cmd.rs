//! `releve trace`: the records behind one performance's figures, so that every figure of a
//! declaration can be traced to the tickets and the programme row it comes from.

use crate::config::Config;
use crate::month::load_facts;
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use releve_domain::calendar::rfc3339_paris;
use releve_domain::{Month, PARIS};
use releve_store::Store;
use std::io::Write;
use std::path::Path;

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
    let facts = load_facts(&store, org, month).await?;
    let Some(p) = facts
        .performances
        .iter()
        .find(|p| p.performance_id == performance_id)
    else {
        bail!(
            "aucune représentation « {performance_id} » en {month} pour {} (identifiants : voir aggregates.json)",
            org.organisation.slug
        );
    };
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
    let Some((source, external)) = performance_id.split_once(':') else {
        return Ok(Status::Success);
    };
    let tickets = store
        .tickets_between(&org.organisation.slug, month.start_utc(), month.end_utc())
        .await?;
    writeln!(out, "Billets ({source}) :")?;
    writeln!(out, "  billet\tstatut\tprix TTC\tTVA\ttarif\tvendu le")?;
    for t in tickets
        .iter()
        .filter(|t| t.source == source && t.performance_external_id == external)
    {
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
    Ok(Status::Success)
}

/// A ticket's status as the administrator says it.
fn status_fr(status: releve_domain::TicketStatus) -> &'static str {
    match status {
        releve_domain::TicketStatus::Valid => "valide",
        releve_domain::TicketStatus::Refunded => "remboursé",
        releve_domain::TicketStatus::Cancelled => "annulé",
    }
}
