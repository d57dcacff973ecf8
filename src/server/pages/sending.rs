//! "Envoyer" on the *Déclaration* page (issue 11): the signatory sends an approved version
//! through its body's channel with the same call as `releve submit --body`
//! ([`crate::submit::queue_and_process`]: the outbox row, fixed payload, exactly once), and the
//! page shows where it is — the outbox state, the body's receipt or refusal, its warnings, every
//! exchange as stored (already without secrets) — and, for a deposit package (CNM, ASTP, or a
//! channel not configured), the package's files to download, the portal's address and the
//! "Enregistrer le dépôt" form (the receipt, recorded like `releve submitted`).

use super::declaration::{when, Target};
use super::declaration_actions::{actor, back, refuse};
use crate::config::OrganisationConfig;
use crate::lifecycle::sha256_hex;
use crate::server::access::Action;
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::outputs;
use crate::server::AppState;
use crate::submit::{deposit, process, queue, queue_and_process, QueueRequest};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use releve_store::{OutboxRecord, OutboxState, VersionRecord, VersionStatus};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Longest stored request or answer shown in full on the page.
const EXCHANGE_SHOWN: usize = 4000;

#[derive(Deserialize)]
pub struct SendForm {
    csrf: String,
    version: u32,
    #[serde(default)]
    signataire: String,
}

fn shortened(text: &str) -> String {
    match text.char_indices().nth(EXCHANGE_SHOWN) {
        Some((cut, _)) => format!("{}… (tronqué ; le texte entier est conservé)", &text[..cut]),
        None => text.to_string(),
    }
}

/// The outbox rows of one version (one per channel it went through).
async fn rows_of(
    state: &AppState,
    t: &Target,
    number: u32,
) -> Result<Vec<OutboxRecord>, PageError> {
    let period = t.month.to_string();
    Ok(state
        .store()
        .submissions(Some(&t.org))
        .await?
        .into_iter()
        .filter(|r| r.body == t.body.code() && r.period == period && r.version == number)
        .collect())
}

/// What the page says about sending version `v`.
pub async fn section(state: &AppState, t: &Target, v: &VersionRecord) -> Result<Value, PageError> {
    let code = t.body.code();
    let channel = queue::channel_for(code, &state.config().submission);
    let mut rows = Vec::new();
    let mut awaiting_receipt = false;
    let mut in_progress = false;
    for r in rows_of(state, t, v.number).await? {
        let exchanges: Vec<Value> = state
            .store()
            .exchanges(r.id)
            .await?
            .iter()
            .map(|e| {
                json!({
                    "at": when(e.at), "step": e.step, "request": shortened(&e.request),
                    "request_sha256": e.request_sha256,
                    "answer": e.answer.as_deref().map(shortened),
                })
            })
            .collect();
        let package = (r.channel == deposit::CODE).then(|| {
            let mut files: Vec<Value> = r.payload["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["name"].as_str())
                .map(|name| json!({"name": name, "href": package_href(t, r.version, name)}))
                .collect();
            files.push(
                json!({"name": deposit::NOTE, "href": package_href(t, r.version, deposit::NOTE)}),
            );
            json!({
                "portal": r.payload["portal"], "note": r.payload["note"],
                "ready": r.state != OutboxState::Queued && r.state != OutboxState::Failed,
                "files": files,
            })
        });
        awaiting_receipt |= r.channel == deposit::CODE && r.state == OutboxState::Sent;
        in_progress |= !matches!(r.state, OutboxState::Failed | OutboxState::Queued);
        rows.push(json!({
            "channel": process::row_channel_label_fr(&r),
            "state": r.state.label_fr(), "state_code": r.state.code(),
            "bad": matches!(r.state, OutboxState::Rejected | OutboxState::Failed),
            "receipt": r.receipt, "error": r.last_error, "warnings": r.warnings,
            "attempts": r.attempts,
            "next_attempt": r.next_attempt_at.map(when),
            "queued": format!("{}, le {}", r.queued_by, when(r.queued_at)),
            "exchanges": exchanges, "package": package,
        }));
    }
    Ok(json!({
        "channel": process::channel_label_fr(channel),
        "is_package": channel == deposit::CODE,
        "rows": rows,
        "may_send": v.status == VersionStatus::Approved && !in_progress,
        "awaiting_receipt": awaiting_receipt,
    }))
}

fn package_href(t: &Target, number: u32, name: &str) -> String {
    format!(
        "/o/{}/{}/{}/depot/{number}/{name}",
        t.org,
        t.month,
        t.body.code()
    )
}

/// The runs' output folder, where the approved files are and packages are written.
async fn output_folder(state: &AppState, org: &str) -> Result<PathBuf, String> {
    outputs::output_root(state, org)
        .await
        .ok_or_else(|| outputs::FileError::NoOutputFolder.message_fr().to_string())
}

pub async fn send(
    State(state): State<AppState>,
    user: SignedIn,
    Path(path): Path<(String, String, String)>,
    Form(form): Form<SendForm>,
) -> Result<Response, PageError> {
    let t = super::declaration::target(&state, &user, path, Action::Approve)?;
    let org: &OrganisationConfig =
        crate::server::access::organisation(&state, &user.caller(), &t.org, Action::Approve)?;
    user.check_csrf(&form.csrf)?;
    if form.signataire.trim().is_empty() {
        let message = "Indiquez qui demande l'envoi (nom et fonction).".to_string();
        return refuse(
            &state,
            &user,
            &t,
            form.version,
            StatusCode::UNPROCESSABLE_ENTITY,
            message,
        )
        .await;
    }
    let out = match output_folder(&state, &t.org).await {
        Ok(out) => out,
        Err(message) => {
            return refuse(
                &state,
                &user,
                &t,
                form.version,
                StatusCode::CONFLICT,
                message,
            )
            .await
        }
    };
    let by = actor(&user, &form.signataire);
    let request = QueueRequest {
        org,
        body: t.body.code(),
        month: t.month,
        span: t.month.into(),
        version: Some(form.version),
        by: &by,
        out: &out,
    };
    let clock = state.clock();
    match queue_and_process(state.config(), state.store(), clock.as_ref(), &request).await {
        Ok(_) => Ok(back(&t, form.version, "envoyee")),
        Err(e) => {
            refuse(
                &state,
                &user,
                &t,
                form.version,
                StatusCode::CONFLICT,
                format!("{e:#}"),
            )
            .await
        }
    }
}

/// A file of a version's deposit package, read from the package folder and checked against
/// the SHA-256 fixed when it was queued (the note against its own text).
pub async fn package_file(
    State(state): State<AppState>,
    user: SignedIn,
    Path((org, month, body, number, name)): Path<(String, String, String, u32, String)>,
) -> Result<Response, PageError> {
    let t = super::declaration::target(&state, &user, (org, month, body), Action::Read)?;
    let row = rows_of(&state, &t, number)
        .await?
        .into_iter()
        .find(|r| r.channel == deposit::CODE)
        .ok_or(PageError::NotFound)?;
    let expected = if name == deposit::NOTE {
        sha256_hex(row.payload["note"].as_str().unwrap_or_default().as_bytes())
    } else {
        row.payload["files"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == name.as_str())
            .and_then(|f| f["sha256"].as_str())
            .ok_or(PageError::NotFound)?
            .to_string()
    };
    // The payload names the package folder inside the output folder (`serve --out`).
    let root = output_folder(&state, &t.org)
        .await
        .map_err(|_| PageError::NotFound)?;
    let folder = root.join(row.payload["folder"].as_str().ok_or(PageError::NotFound)?);
    let bytes = std::fs::read(folder.join(&name)).map_err(|_| PageError::NotFound)?;
    if sha256_hex(&bytes) != expected {
        return Err(PageError::NotFound);
    }
    let format = name.rsplit('.').next().unwrap_or_default();
    let content_type = match format {
        "txt" => "text/plain; charset=utf-8",
        other => outputs::content_type(other),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
