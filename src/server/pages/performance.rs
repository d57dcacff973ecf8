//! *Représentation* (`/o/{org}/{month}/p/{performance_id}`): one performance's facts, the
//! tickets behind them by price category and VAT rate (the data of `releve trace`), its
//! programme row, and the corrections form with the source value beside each field.

use crate::server::access::{self, Action};
use crate::server::error::{encode_path, PageError};
use crate::server::extract::SignedIn;
use crate::server::pages::correction_fields;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use crate::trace_cmd::performance_trace;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use releve_domain::{Month, PARIS};
use serde_json::json;

/// The path of a performance's page (ids carry `:` and may carry anything a vendor sends).
pub fn href(org: &str, month: Month, performance_id: &str) -> String {
    format!("/o/{org}/{month}/p/{}", encode_path(performance_id))
}

/// A month in a path: anything that is not `YYYY-MM` is a page that does not exist.
pub fn month_of(text: &str) -> Result<Month, PageError> {
    text.parse().map_err(|_| PageError::NotFound)
}

/// What the last correction did (`?fait=1`, or `?erreur=…` with the refused value's reason).
#[derive(serde::Deserialize, Default)]
pub struct Outcome {
    #[serde(default)]
    pub fait: Option<String>,
    #[serde(default)]
    pub erreur: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month, performance_id)): Path<(String, String, String)>,
    Query(outcome): Query<Outcome>,
) -> Result<Html<String>, PageError> {
    let caller = user.caller();
    let config = access::organisation(&state, &caller, &org, Action::Read)?;
    let month = month_of(&month)?;
    let can_correct = access::organisation(&state, &caller, &org, Action::Correct).is_ok();
    let Some(trace) = performance_trace(state.store(), config, month, &performance_id).await?
    else {
        return Err(PageError::NotFound);
    };
    let p = &trace.facts;
    let groups: Vec<serde_json::Value> = trace
        .groups()
        .iter()
        .map(|g| {
            json!({
                "category": g.price_category.clone().unwrap_or_else(|| "sans catégorie".into()),
                "vat": g.vat_rate.to_french(),
                "paid": g.paid, "free": g.free, "void": g.void,
                "receipts": g.receipts_incl_vat.to_french(),
            })
        })
        .collect();
    let vat: Vec<serde_json::Value> = p
        .vat
        .iter()
        .map(|v| {
            json!({
                "rate": v.rate.to_french(), "paid": v.paid_tickets,
                "incl": v.receipts_incl_vat.to_french(), "excl": v.receipts_excl_vat.to_french(),
            })
        })
        .collect();
    let tickets: Vec<serde_json::Value> = trace
        .tickets
        .iter()
        .map(|t| {
            json!({
                "id": t.ticket_id,
                "status": match t.status {
                    releve_domain::TicketStatus::Valid => "valide",
                    releve_domain::TicketStatus::Refunded => "remboursé",
                    releve_domain::TicketStatus::Cancelled => "annulé",
                },
                "price": t.price_incl_vat.to_french(),
                "vat": t.vat_rate.to_french(),
                "category": t.price_category.clone().unwrap_or_else(|| "—".into()),
                "sold_at": t.sold_at
                    .map(|s| s.with_timezone(&PARIS).format("%d/%m/%Y %H:%M").to_string())
                    .unwrap_or_else(|| "—".into()),
            })
        })
        .collect();
    let programme = trace.programme.as_ref().map(|e| {
        json!({
            "source": e.source, "line": e.line, "title": e.show_title,
            "starts_at": e.starts_at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M").to_string(),
            "venue": e.venue.name,
        })
    });
    let fields = correction_fields::rows(p, trace.programme.as_ref());
    let mut context = base_context(&state, &user);
    context.insert("org", &org);
    context.insert("org_name", &config.organisation.name);
    context.insert("month", &month.to_string());
    context.insert("month_fr", &month.to_french());
    context.insert("action", &href(&org, month, &p.performance_id));
    context.insert(
        "performance",
        &json!({
            "id": p.performance_id, "show_id": p.show_id, "title": p.show_title,
            "starts_at": p.starts_at.with_timezone(&PARIS).format("%d/%m/%Y à %H:%M").to_string(),
            "venue": p.venue.name,
            "discipline": p.discipline.map(|d| d.code()).unwrap_or("inconnue"),
            "paid": p.paid_tickets, "free": p.free_tickets, "void": p.void_tickets,
            "receipts_incl": p.receipts_incl_vat.to_french(),
            "receipts_excl": p.receipts_excl_vat.to_french(),
            "vat_amount": p.vat_amount().to_french(),
            "capacity": p.capacity,
            "sources": p.sources.join(", "),
        }),
    );
    context.insert("vat", &vat);
    context.insert("groups", &groups);
    context.insert("tickets", &tickets);
    context.insert("programme", &programme);
    context.insert("fields", &fields);
    // The register's page of the producer, when the performance names one by SIRET/SIREN.
    let producer_number = p
        .producer
        .as_ref()
        .and_then(|pr| pr.siret.as_deref())
        .and_then(|s| releve_collectors::registry::CompanyNumber::parse(s).ok());
    context.insert(
        "producer_href",
        &producer_number.map(|n| format!("/o/{org}/producteurs/{}", n.digits())),
    );
    context.insert("can_correct", &can_correct);
    context.insert(
        "notice",
        &outcome
            .fait
            .map(|_| "Correction enregistrée ; les brouillons du mois ont été recalculés."),
    );
    context.insert("error", &outcome.erreur);
    render(&state, "performance.html", &context)
}
