//! *À traiter* (`/o/{org}/{month}/a-traiter`): the month's `issues.json` as a work list —
//! quarantined records with their raw text, line and reason; unlinked or ambiguous programme
//! rows with a form that links them to a performance by hand (a `programme_row` correction);
//! blocking questions answered in place through a correction of the field they ask about.

use crate::month_issues::month_issues;
use crate::reference::load_reference;
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::performance::{href, month_of};
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use releve_domain::{Issue, Severity, PARIS};
use serde::Deserialize;
use serde_json::json;

/// The values offered for an answer (value, French label); `None`: free text.
type Choices = Option<Vec<(&'static str, &'static str)>>;

/// The field a blocking question is answered with, and the values offered.
pub fn answer_field(code: &str) -> Option<(&'static str, Choices)> {
    let yes_no = Some(vec![("yes", "oui"), ("no", "non")]);
    Some(match code {
        "astp.producer_subsidised.missing" => ("producer_subsidised", yes_no),
        "sacem.review" => ("sacem", yes_no),
        "sacd.repertoire.review" => ("sacd", yes_no),
        "discipline.review" => (
            "tax_fraction",
            Some(vec![("cnm", "CNM"), ("astp", "ASTP"), ("none", "aucune")]),
        ),
        "discipline.missing" | "sibil.domain.missing" => ("discipline", None),
        "tax.cession_price.missing" => ("cession_price_excl_vat", None),
        "capacity.missing" => ("capacity", None),
        _ => return None,
    })
}

/// Programme rows that the linking left aside.
fn is_programme_row(code: &str) -> bool {
    matches!(
        code,
        "programme.unlinked" | "programme.ambiguous" | "programme.duplicate"
    )
}

fn severity_fr(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocking => "bloquant",
        Severity::Warning => "à vérifier",
        Severity::Info => "information",
    }
}

#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub fait: Option<String>,
    #[serde(default)]
    pub erreur: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month)): Path<(String, String)>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, PageError> {
    let caller = user.caller();
    let config = access::organisation(&state, &caller, &org, Action::Read)?;
    let month = month_of(&month)?;
    let can_correct = access::organisation(&state, &caller, &org, Action::Correct).is_ok();
    let reference = load_reference(state.config())?;
    let (facts, issues) =
        month_issues(state.store(), config, month, &reference, state.now()).await?;
    let performances: Vec<serde_json::Value> = facts
        .performances
        .iter()
        .map(|p| {
            json!({
                "id": p.performance_id,
                "title": p.show_title,
                "when": p.starts_at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M").to_string(),
                "label": format!("{} — {}", p.show_title,
                    p.starts_at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M")),
                "discipline": p.discipline.map(|d| d.code()).unwrap_or("inconnue"),
                "paid": p.paid_tickets,
                "receipts": p.receipts_incl_vat.to_french(),
                "href": href(&org, month, &p.performance_id),
            })
        })
        .collect();
    let title_of = |id: &str| {
        facts
            .performances
            .iter()
            .find(|p| p.performance_id == id)
            .map(|p| p.show_title.clone())
    };
    let item = |i: &Issue| {
        json!({
            "severity": severity_fr(i.severity),
            "blocking": i.severity == Severity::Blocking,
            "code": i.code, "message": i.message, "body": i.body,
            "source": i.source, "line": i.line, "raw": i.raw,
            "performance_id": i.performance_id,
            "performance_title": i.performance_id.as_deref().and_then(title_of),
            "performance_href": i.performance_id.as_deref().map(|id| href(&org, month, id)),
        })
    };
    let quarantine: Vec<_> = issues
        .iter()
        .filter(|i| i.code == "quarantine")
        .map(item)
        .collect();
    let programme_rows: Vec<_> = issues
        .iter()
        .filter(|i| is_programme_row(&i.code))
        .map(|i| {
            let mut v = item(i);
            // The manual link names the row as « source:line » (formats.md §6).
            v["link_value"] = match (&i.source, i.line) {
                (Some(s), Some(l)) => json!(format!("{s}:{l}")),
                _ => serde_json::Value::Null,
            };
            v
        })
        .collect();
    let mut questions = Vec::new();
    let mut others = Vec::new();
    for i in issues
        .iter()
        .filter(|i| i.code != "quarantine" && !is_programme_row(&i.code))
    {
        let mut v = item(i);
        match (answer_field(&i.code), &i.performance_id) {
            (Some((field, options)), Some(_)) => {
                v["field"] = json!(field);
                v["options"] = json!(options.map(|o| o
                    .into_iter()
                    .map(|(value, label)| json!({"value": value, "label": label}))
                    .collect::<Vec<_>>()));
                questions.push(v);
            }
            _ => others.push(v),
        }
    }
    let mut context = base_context(&state, &user);
    context.insert("org", &org);
    context.insert("org_name", &config.organisation.name);
    context.insert("month", &month.to_string());
    context.insert("month_fr", &month.to_french());
    context.insert("quarantine", &quarantine);
    context.insert("programme_rows", &programme_rows);
    context.insert("questions", &questions);
    context.insert("others", &others);
    context.insert("performances", &performances);
    context.insert("can_correct", &can_correct);
    context.insert("total", &issues.len());
    context.insert(
        "notice",
        &notice
            .fait
            .map(|_| "Correction enregistrée ; les brouillons du mois ont été recalculés."),
    );
    context.insert("error", &notice.erreur);
    render(&state, "work_list.html", &context)
}
