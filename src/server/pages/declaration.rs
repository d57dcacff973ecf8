//! *Déclaration* (`/o/{org}/{month}/{body}`): one version of a body's declaration laid out like
//! its form (lines, totals, what owes nothing and why, why the body applies), the downloads of
//! the run's files, the version history with the difference between two versions, and the
//! signatory's forms (approve, record a submission — see `declaration_actions.rs`; send through
//! the outbox — see `sending.rs`).
//!
//! `?version=N` shows version N (default: the current one); `?comparer=M` the difference
//! between M and the version shown (default: the approved version a rectificatif corrects, else
//! the previous version).

use super::form_layout;
use super::view::{self, parse_body};
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::outputs::{self, FileError};
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use releve_declarations::amendment::amendment;
use releve_declarations::render::fr;
use releve_declarations::Body;
use releve_domain::{Month, PARIS};
use releve_store::{VersionRecord, VersionStatus};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub comparer: Option<u32>,
    /// What was just done, for the notice (`approuvee`, `transmise`).
    #[serde(default)]
    pub fait: Option<String>,
}

/// The organisation, month and body of a declaration URL, after the access check.
pub struct Target {
    pub org: String,
    pub org_name: String,
    pub month: Month,
    pub body: Body,
}

pub fn target(
    state: &AppState,
    user: &SignedIn,
    (org, month, body): (String, String, String),
    action: Action,
) -> Result<Target, PageError> {
    let config = access::organisation(state, &user.caller(), &org, action)?;
    let month: Month = month.parse().map_err(|_| PageError::NotFound)?;
    let body = parse_body(&body).ok_or(PageError::NotFound)?;
    Ok(Target {
        org_name: config.organisation.name.clone(),
        org,
        month,
        body,
    })
}

pub(super) fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&PARIS)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

fn history_row(t: &Target, v: &VersionRecord, shown: u32) -> Value {
    let (state, class) = view::state_fr(v);
    let base = format!("/o/{}/{}/{}", t.org, t.month, t.body.code());
    json!({
        "number": v.number, "state": state, "state_class": class, "shown": v.number == shown,
        "created": when(v.created_at),
        "amends": v.previous_approved.filter(|_| v.is_amendment),
        "approved": v.approved_by.as_ref().zip(v.approved_at).map(|(by, at)| format!("{by}, le {}", when(at))),
        "submitted": v.submission.as_ref().map(|s| format!("{} — reçu « {} » — le {}", s.channel, s.receipt, when(s.at))),
        "answer": v.answer,
        "href": format!("{base}?version={}", v.number),
        "compare_href": (v.number != shown).then(|| format!("{base}?version={shown}&comparer={}", v.number)),
    })
}

/// The key of a line of the difference, named as people know it (the show and its date).
fn line_label(model: &Value, key: &str) -> String {
    for list in ["lines", "declarations", "shows"] {
        for item in model[list].as_array().into_iter().flatten() {
            let ids = ["performance_id", "idExtBilletterie", "show_id"];
            if ids.iter().any(|k| item[*k] == key) {
                let title = item["show_title"]
                    .as_str()
                    .or(item["spectacleChamps"]["critere1"].as_str())
                    .unwrap_or(key);
                let date = view::cell(view::Kind::Date, &item["date"]);
                return if date.is_empty() {
                    title.to_string()
                } else {
                    format!("{title} ({date})")
                };
            }
        }
    }
    key.to_string()
}

/// The difference between version `base` and the version shown, per line and field.
fn difference(body: Body, base: &VersionRecord, shown: &VersionRecord) -> Value {
    match amendment(body, base.number, &base.model, &shown.model) {
        Ok(diff) => {
            let changes: Vec<Value> = diff
                .changes
                .iter()
                .map(|c| {
                    let label = line_label(&shown.model, &c.key);
                    let label = if label == c.key {
                        line_label(&base.model, &c.key)
                    } else {
                        label
                    };
                    json!({
                        "line": label, "field": c.field,
                        "before": c.before.0.to_string().replace('.', ","),
                        "after": c.after.0.to_string().replace('.', ","),
                        "delta": c.delta.0.to_string().replace('.', ","),
                        "change": match c.change {
                            releve_declarations::amendment::ChangeKind::Changed => "modifiée",
                            releve_declarations::amendment::ChangeKind::Added => "ajoutée",
                            releve_declarations::amendment::ChangeKind::Removed => "retirée",
                        },
                    })
                })
                .collect();
            json!({"base": base.number, "shown": shown.number, "changes": changes, "note": diff.note})
        }
        Err(e) => {
            json!({"base": base.number, "shown": shown.number, "changes": [], "error": e.to_string()})
        }
    }
}

/// Renders the page; `error` re-renders it after a refused action, with that status.
pub async fn render_page(
    state: &AppState,
    user: &SignedIn,
    t: &Target,
    shown_query: &Shown,
    error: Option<(StatusCode, String)>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    let code = t.body.code();
    let versions = state
        .store()
        .versions(&t.org, Some(code), Some(t.month))
        .await?;
    let audit = state.store().audit_log(&t.org).await?;
    let shown = match shown_query.version {
        Some(n) => Some(
            versions
                .iter()
                .find(|v| v.number == n)
                .ok_or(PageError::NotFound)?,
        ),
        None => view::current(&versions),
    };
    let mut context = base_context(state, user);
    context.insert("org", &json!({"slug": t.org, "name": t.org_name}));
    context.insert("month", &t.month.to_string());
    context.insert("month_fr", &fr::month(t.month));
    context.insert(
        "body",
        &json!({"code": code, "name": view::short_name(t.body), "title": t.body.title_fr(),
                "recipient": t.body.recipient_fr()}),
    );
    context.insert("why", &form_layout::why_fr(t.body));
    context.insert("error", &error.as_ref().map(|(_, m)| m));
    context.insert(
        "notice",
        &match shown_query.fait.as_deref() {
            Some("approuvee") => Some("Version approuvée : elle est figée et inscrite au journal."),
            Some("transmise") => Some("Transmission enregistrée au journal."),
            Some("envoyee") => {
                Some("Envoi demandé : son état et les échanges avec l'organisme sont ci-dessous.")
            }
            _ => None,
        },
    );
    let may_approve = caller.may(&t.org, Action::Approve);
    context.insert("may_approve", &may_approve);
    let issues = outputs::month_issues(state, &t.org, t.month).await;
    context.insert(
        "points",
        &issues
            .as_deref()
            .map(|i| super::month::points(i, Some(code))),
    );
    context.insert("today", &super::month::today(state).to_string());
    match shown {
        None => {
            context.insert("version", &Value::Null);
        }
        Some(v) => {
            let (state_label, state_class) = view::state_fr(v);
            let deadline = view::deadline(&v.model);
            let sent = matches!(v.status, VersionStatus::Submitted | VersionStatus::Accepted);
            context.insert(
                "version",
                &json!({
                    "number": v.number, "state": state_label, "state_class": state_class,
                    "draft": v.status == VersionStatus::Draft,
                    "approved": v.status == VersionStatus::Approved,
                    "amends": v.previous_approved.filter(|_| v.is_amendment),
                    "deadline": deadline.map(fr::date),
                    "left": deadline.filter(|_| !sent).map(|d| view::days_left_fr(d, super::month::today(state)).0),
                    "amount_due": view::amount_due(t.body, &v.model).map(fr::money),
                }),
            );
            let tables: Vec<Value> = form_layout::sections(t.body)
                .iter()
                .map(|s| form_layout::table(s, &v.model))
                .collect();
            context.insert("tables", &tables);
            context.insert("not_owed", &form_layout::not_owed(&v.model));
            let mut downloads: Vec<Value> = Vec::new();
            for f in outputs::formats(v) {
                let available = outputs::version_file(state, v, &f, &audit).await;
                downloads.push(json!({
                    "format": f.to_uppercase(),
                    "href": format!("/o/{}/{}/{code}/versions/{}/{f}", t.org, t.month, v.number),
                    "name": outputs::frozen_name(code, v.number, &f),
                    "missing": available.err().map(|e| e.message_fr()),
                }));
            }
            context.insert("downloads", &downloads);
            let sendable = !matches!(v.status, VersionStatus::Draft | VersionStatus::Superseded);
            let sending = match sendable {
                true => Some(super::sending::section(state, t, v).await?),
                false => None,
            };
            context.insert("sending", &sending);
            let history: Vec<Value> = versions
                .iter()
                .rev()
                .map(|h| history_row(t, h, v.number))
                .collect();
            context.insert("history", &history);
            let base_number = shown_query
                .comparer
                .or(v.previous_approved.filter(|_| v.is_amendment))
                .or_else(|| {
                    versions
                        .iter()
                        .filter(|o| o.number < v.number)
                        .map(|o| o.number)
                        .max()
                });
            let diff = base_number
                .filter(|n| *n != v.number)
                .and_then(|n| versions.iter().find(|o| o.number == n))
                .map(|base| difference(t.body, base, v));
            context.insert("difference", &diff);
        }
    }
    let status = error.map_or(StatusCode::OK, |(s, _)| s);
    Ok((status, render(state, "declaration.html", &context)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(path): Path<(String, String, String)>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    let t = target(&state, &user, path, Action::Read)?;
    render_page(&state, &user, &t, &shown, None).await
}

/// A version's file: the same bytes as the run wrote (checked against the store's SHA-256).
pub async fn download(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month, body, number, format)): Path<(String, String, String, u32, String)>,
) -> Result<Response, PageError> {
    let t = target(&state, &user, (org, month, body), Action::Read)?;
    let version = state
        .store()
        .version(&t.org, t.body.code(), t.month, number)
        .await
        .map_err(|_| PageError::NotFound)?;
    let audit = state.store().audit_log(&t.org).await?;
    match outputs::version_file(&state, &version, &format, &audit).await {
        Ok((name, bytes)) => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    outputs::content_type(&format).to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(FileError::NoSuchFormat) => Err(PageError::NotFound),
        Err(e) => {
            let shown = Shown {
                version: Some(number),
                ..Shown::default()
            };
            render_page(
                &state,
                &user,
                &t,
                &shown,
                Some((StatusCode::NOT_FOUND, e.message_fr().to_string())),
            )
            .await
        }
    }
}
