//! *Tableau de bord* of one organisation and month (`/o/{org}/{month}`): a card per body with
//! the state of its current version, the amount due, the deadline and the days left, the
//! points to check from the run's `issues.json`; the next deadlines across months; a month
//! picker. `/o/{org}` opens the latest month with declarations (`?mois=YYYY-MM` picks one).

use super::view::{self, BODIES};
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::outputs;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use releve_declarations::render::fr;
use releve_domain::{Month, PARIS};
use releve_store::{VersionRecord, VersionStatus};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct Pick {
    #[serde(default)]
    mois: Option<String>,
}

/// Today in Paris, from the server's clock.
pub fn today(state: &AppState) -> NaiveDate {
    state.now().with_timezone(&PARIS).date_naive()
}

pub async fn organisation(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Query(pick): Query<Pick>,
) -> Result<Response, PageError> {
    access::organisation(&state, &user.caller(), &org, Action::Read)?;
    let month = match pick.mois.as_deref().map(str::parse::<Month>) {
        Some(Ok(m)) => m,
        Some(Err(_)) => return Err(PageError::NotFound),
        None => {
            let versions = state.store().versions(&org, None, None).await?;
            versions
                .iter()
                .map(|v| v.month)
                .max()
                .unwrap_or_else(|| Month::previous_of(state.now()))
        }
    };
    Ok(Redirect::to(&format!("/o/{org}/{month}")).into_response())
}

/// The points of `issues.json` for one body (`None`: those of no body), as the page lists
/// them, blocking first.
pub fn points(issues: &[Value], body: Option<&str>) -> Vec<Value> {
    let mut list: Vec<Value> = issues
        .iter()
        .filter(|i| i["body"].as_str() == body)
        .filter(|i| i["severity"] != "info")
        .map(|i| {
            json!({
                "blocking": i["severity"] == "blocking",
                "severity": if i["severity"] == "blocking" { "bloquant" } else { "à vérifier" },
                "message": i["message"].as_str().unwrap_or_default(),
            })
        })
        .collect();
    list.sort_by_key(|p| !p["blocking"].as_bool().unwrap_or(false));
    list
}

/// The declarations still to send (not yet sent), across months, soonest deadline first (the
/// same list as the reminders and the `.ics` feed: [`crate::reminders::deadlines`]).
pub fn next_deadlines(org: &str, versions: &[VersionRecord], today: NaiveDate) -> Vec<Value> {
    crate::reminders::deadlines::of_versions(versions)
        .into_iter()
        .filter(|d| !d.sent)
        .take(10)
        .map(|d| {
            let (left, late) = view::days_left_fr(d.date, today);
            let (month, body) = (d.month, d.body.as_str());
            json!({
                "month": month.to_string(), "month_fr": fr::month(month), "body": body,
                "body_name": body.to_uppercase(), "deadline": fr::date(d.date), "left": left,
                "late": late, "state": d.state_fr, "state_class": d.state_class,
                "href": format!("/o/{org}/{month}/{body}"),
            })
        })
        .collect()
}

fn card(
    org: &str,
    month: Month,
    body: releve_declarations::Body,
    versions: &[VersionRecord],
    issues: Option<&[Value]>,
    today: NaiveDate,
) -> Value {
    let of_body: Vec<VersionRecord> = versions
        .iter()
        .filter(|v| v.month == month && v.body == body.code())
        .cloned()
        .collect();
    let points = issues.map(|i| points(i, Some(body.code())));
    let base = json!({
        "body": body.code(), "name": view::short_name(body), "title": body.title_fr(),
        "recipient": body.recipient_fr(), "href": format!("/o/{org}/{month}/{}", body.code()),
        "points": points, "points_known": issues.is_some(),
    });
    let Some(current) = view::current(&of_body) else {
        let mut card = base;
        card["state"] = json!("rien à déclarer");
        card["state_class"] = json!("muted");
        card["empty"] = json!(true);
        return card;
    };
    let (state, class) = view::state_fr(current);
    let mut card = base;
    card["empty"] = json!(false);
    card["state"] = json!(state);
    card["state_class"] = json!(class);
    card["version"] = json!(current.number);
    card["amends"] = json!(current.previous_approved.filter(|_| current.is_amendment));
    card["amount_due"] = json!(view::amount_due(body, &current.model).map(fr::money));
    if let Some(deadline) = view::deadline(&current.model) {
        let (left, late) = view::days_left_fr(deadline, today);
        let sent = matches!(
            current.status,
            VersionStatus::Submitted | VersionStatus::Accepted
        );
        card["deadline"] = json!(fr::date(deadline));
        card["left"] = json!(if sent { String::new() } else { left });
        card["late"] = json!(late && !sent);
    }
    card
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    let config = access::organisation(&state, &caller, &org, Action::Read)?;
    let month: Month = month.parse().map_err(|_| PageError::NotFound)?;
    let versions = state.store().versions(&org, None, None).await?;
    let today = today(&state);
    let issues = outputs::month_issues(&state, &org, month).await;
    let cards: Vec<Value> = BODIES
        .into_iter()
        .map(|body| card(&org, month, body, &versions, issues.as_deref(), today))
        .collect();
    let mut months: Vec<Month> = versions.iter().map(|v| v.month).collect();
    months.push(month);
    months.sort();
    months.dedup();
    months.reverse();
    let months: Vec<Value> = months
        .iter()
        .map(|m| json!({"value": m.to_string(), "label": fr::month(*m), "selected": *m == month}))
        .collect();
    let mut context = base_context(&state, &user);
    context.insert(
        "org",
        &json!({"slug": org, "name": config.organisation.name}),
    );
    context.insert("month", &month.to_string());
    context.insert("month_fr", &fr::month(month));
    context.insert("previous_month", &month.previous().to_string());
    context.insert("next_month", &month.next().to_string());
    context.insert("months", &months);
    context.insert("cards", &cards);
    context.insert(
        "general_points",
        &issues.as_deref().map(|i| points(i, None)),
    );
    context.insert("deadlines", &next_deadlines(&org, &versions, today));
    context.insert("today", &fr::date(today));
    context.insert("is_admin", &caller.may(&org, Action::Administer));
    Ok(render(&state, "month.html", &context)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_of_a_body_blocking_first_without_reminders() {
        let issues = vec![
            json!({"severity": "warning", "body": "cnm", "message": "w"}),
            json!({"severity": "info", "body": "cnm", "message": "i"}),
            json!({"severity": "blocking", "body": "cnm", "message": "b"}),
            json!({"severity": "blocking", "body": null, "message": "g"}),
        ];
        let cnm = points(&issues, Some("cnm"));
        let messages: Vec<&str> = cnm.iter().map(|p| p["message"].as_str().unwrap()).collect();
        assert_eq!(messages, ["b", "w"]);
        assert_eq!(points(&issues, None)[0]["message"], "g");
    }
}
