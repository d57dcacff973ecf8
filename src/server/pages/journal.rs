//! *Journal* (`/o/{org}/journal`): the organisation's audit log, newest first, filtered by
//! body, month, action and person with a plain GET form (works without JavaScript).

use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use releve_domain::PARIS;
use releve_store::AuditEntry;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, Default)]
pub struct Filters {
    #[serde(default)]
    organisme: String,
    #[serde(default)]
    mois: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    personne: String,
}

/// An action of the log in French (an action this page does not know keeps its code).
pub fn action_fr(code: &str) -> String {
    match code {
        "approve" => "approbation".into(),
        "submit" => "transmission".into(),
        "accept" => "acceptée par l'organisme".into(),
        "reject" => "rejetée par l'organisme".into(),
        "amendment_draft" => "rectificatif préparé".into(),
        "correction" => "correction".into(),
        "sharing.funder_added" => "partage avec un financeur".into(),
        "sharing.funder_withdrawn" => "retrait du partage avec un financeur".into(),
        other => other.to_string(),
    }
}

/// The details of a line, in a sentence.
fn details_fr(entry: &AuditEntry) -> String {
    let d = &entry.details;
    let mut parts: Vec<String> = Vec::new();
    if let Some(v) = d["version"].as_u64() {
        parts.push(format!("version {v}"));
    }
    if let Some(base) = d["amends"].as_u64() {
        parts.push(format!("rectifie la version {base}"));
    }
    if let Some(channel) = d["channel"].as_str() {
        parts.push(format!("canal {channel}"));
    }
    if let Some(receipt) = d["receipt"].as_str() {
        parts.push(format!("reçu « {receipt} »"));
    }
    if let Some(answer) = d["answer"].as_str() {
        parts.push(format!("réponse « {answer} »"));
    }
    if let Some(funder) = d["funder"].as_str() {
        parts.push(format!("financeur {funder}"));
    }
    if let Some(reason) = d["despite"].as_str() {
        parts.push(format!("malgré les points ouverts : « {reason} »"));
    }
    if let Some(files) = d["frozen_files"].as_array().or(d["files"].as_array()) {
        let list: Vec<String> = files
            .iter()
            .filter_map(|f| {
                Some(format!(
                    "{} (SHA-256 {}…)",
                    f["name"].as_str()?,
                    f["sha256"].as_str()?.get(..12)?
                ))
            })
            .collect();
        if !list.is_empty() {
            parts.push(format!("fichiers : {}", list.join(", ")));
        }
    }
    if parts.is_empty() && !d.as_object().is_none_or(|o| o.is_empty()) {
        parts.push(d.to_string());
    }
    parts.join(" ; ")
}

fn matches(entry: &AuditEntry, f: &Filters) -> bool {
    (f.organisme.is_empty() || entry.body.as_deref() == Some(f.organisme.as_str()))
        && (f.mois.is_empty() || entry.month.map(|m| m.to_string()) == Some(f.mois.clone()))
        && (f.action.is_empty() || entry.action == f.action)
        && (f.personne.is_empty() || entry.actor == f.personne)
}

fn options(values: Vec<String>, selected: &str, label: impl Fn(&str) -> String) -> Vec<Value> {
    let mut values = values;
    values.sort();
    values.dedup();
    values
        .iter()
        .map(|v| json!({"value": v, "label": label(v), "selected": v == selected}))
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
    Query(filters): Query<Filters>,
) -> Result<Html<String>, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Read)?;
    let log = state.store().audit_log(&org).await?;
    let entries: Vec<Value> = log
        .iter()
        .rev()
        .filter(|e| matches(e, &filters))
        .map(|e| {
            json!({
                "at": e.at.with_timezone(&PARIS).format("%d/%m/%Y %H:%M:%S").to_string(),
                "actor": e.actor, "action": action_fr(&e.action),
                "body": e.body.as_deref().map(str::to_uppercase).unwrap_or_default(),
                "month": e.month.map(|m| m.to_string()).unwrap_or_default(),
                "href": match (&e.body, e.month) {
                    (Some(b), Some(m)) => Some(format!("/o/{org}/{m}/{b}")),
                    _ => None,
                },
                "details": details_fr(e),
            })
        })
        .collect();
    let mut context = base_context(&state, &user);
    context.insert(
        "org",
        &json!({"slug": org, "name": config.organisation.name}),
    );
    context.insert("entries", &entries);
    context.insert("total", &log.len());
    context.insert(
        "bodies",
        &options(
            log.iter().filter_map(|e| e.body.clone()).collect(),
            &filters.organisme,
            |v| v.to_uppercase(),
        ),
    );
    context.insert(
        "months",
        &options(
            log.iter()
                .filter_map(|e| e.month.map(|m| m.to_string()))
                .collect(),
            &filters.mois,
            |v| v.to_string(),
        ),
    );
    context.insert(
        "actions",
        &options(
            log.iter().map(|e| e.action.clone()).collect(),
            &filters.action,
            action_fr,
        ),
    );
    context.insert(
        "people",
        &options(
            log.iter().map(|e| e.actor.clone()).collect(),
            &filters.personne,
            |v| v.to_string(),
        ),
    );
    render(&state, "journal.html", &context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn an_approval_line_in_french() {
        let entry = AuditEntry {
            id: 1,
            org: "o".into(),
            at: Utc::now(),
            actor: "Claire (c@x.fr)".into(),
            action: "approve".into(),
            body: Some("cnm".into()),
            month: Some("2025-11".parse().unwrap()),
            details: json!({"version": 1, "files": [{"name": "cnm.pdf", "sha256": "0123456789abcdef"}]}),
        };
        assert_eq!(
            details_fr(&entry),
            "version 1 ; fichiers : cnm.pdf (SHA-256 0123456789ab…)"
        );
        let filters = Filters {
            organisme: "cnm".into(),
            ..Filters::default()
        };
        assert!(matches(&entry, &filters));
        let other = Filters {
            personne: "quelqu'un".into(),
            ..Filters::default()
        };
        assert!(!matches(&entry, &other));
    }
}
