//! The signatory's forms of the *Déclaration* page: **approve** a draft and **record a
//! submission** made outside releve. Both go through the same code as `releve approve`
//! ([`crate::approval::approve`]: the guard, `--despite`, the frozen `versions/` files) and
//! `releve submitted` (the store's version workflow); the handlers only check the role, the
//! CSRF token and the form.
//! A refused action shows the page again with the reason in French.

use super::declaration::{render_page, target, Shown, Target};
use crate::approval::{self, ApprovalRequest};
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, NaiveDate, Utc};
use releve_domain::PARIS;
use serde::Deserialize;

/// The channels a submission can be recorded for (formats.md §1 `submitted --channel`).
pub const CHANNELS: [(&str, &str); 5] = [
    ("portail", "Portail en ligne de l'organisme"),
    ("email", "Courrier électronique"),
    ("api", "Service web (API)"),
    ("xml", "Dépôt d'un fichier XML"),
    ("courrier", "Courrier postal"),
];

#[derive(Deserialize)]
pub struct ApproveForm {
    csrf: String,
    version: u32,
    /// « Nom, fonction » of the signatory, as on `releve approve --by`.
    #[serde(default)]
    signataire: String,
    /// The reason to approve although points are open (`releve approve --despite`).
    #[serde(default)]
    malgre: String,
}

#[derive(Deserialize)]
pub struct SubmissionForm {
    csrf: String,
    version: u32,
    #[serde(default)]
    signataire: String,
    #[serde(default)]
    canal: String,
    #[serde(default)]
    recu: String,
    /// `YYYY-MM-DD`, the day it was sent.
    #[serde(default)]
    date: String,
}

/// Who the audit log names: what the signatory typed, and the account that did it.
pub(super) fn actor(user: &SignedIn, typed: &str) -> String {
    format!("{} ({})", typed.trim(), user.0.email)
}

pub(super) fn back(t: &Target, version: u32, done: &str) -> Response {
    Redirect::to(&format!(
        "/o/{}/{}/{}?version={version}&fait={done}",
        t.org,
        t.month,
        t.body.code()
    ))
    .into_response()
}

pub(super) async fn refuse(
    state: &AppState,
    user: &SignedIn,
    t: &Target,
    version: u32,
    status: StatusCode,
    message: String,
) -> Result<Response, PageError> {
    let shown = Shown {
        version: Some(version),
        ..Shown::default()
    };
    render_page(state, user, t, &shown, Some((status, message))).await
}

/// Approves a version through `releve approve`'s code ([`crate::approval::approve`]): the
/// guard that refuses while blocking points are open (unless the signatory gives a reason),
/// the check that the draft still matches the data, the frozen copies in `versions/` of the
/// runs' output folder, the approval and its audit line.
async fn approve_version(
    state: &AppState,
    t: &Target,
    org: &crate::config::OrganisationConfig,
    number: u32,
    actor: &str,
    despite: Option<&str>,
) -> Result<(), String> {
    let reference =
        crate::reference::load_reference(state.config()).map_err(|e| format!("{e:#}"))?;
    let out = match state.output() {
        Some(dir) => Some(dir.to_path_buf()),
        None => approval::last_output_folder(state.store(), &t.org)
            .await
            .map_err(|e| e.to_string())?,
    };
    let request = ApprovalRequest {
        body: t.body,
        month: t.month,
        version: Some(number),
        actor,
        despite,
        at: state.now(),
    };
    approval::approve(state.store(), org, &reference, &request, out.as_deref())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub async fn approve(
    State(state): State<AppState>,
    user: SignedIn,
    Path(path): Path<(String, String, String)>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, PageError> {
    let t = target(&state, &user, path, Action::Approve)?;
    let org = access::organisation(&state, &user.caller(), &t.org, Action::Approve)?;
    user.check_csrf(&form.csrf)?;
    if form.signataire.trim().is_empty() {
        return refuse(
            &state,
            &user,
            &t,
            form.version,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Indiquez le nom et la fonction du signataire (par exemple « Claire Martin, directrice »)."
                .into(),
        )
        .await;
    }
    let despite = Some(form.malgre.trim()).filter(|r| !r.is_empty());
    let actor = actor(&user, &form.signataire);
    match approve_version(&state, &t, org, form.version, &actor, despite).await {
        Ok(()) => Ok(back(&t, form.version, "approuvee")),
        Err(message) => {
            refuse(
                &state,
                &user,
                &t,
                form.version,
                StatusCode::CONFLICT,
                message,
            )
            .await
        }
    }
}

/// The instant recorded for a submission sent on `date`: now when it is today, else noon of
/// that day in Paris (the store keeps instants; people give the day).
fn sent_at(date: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    if now.with_timezone(&PARIS).date_naive() == date {
        return now;
    }
    date.and_hms_opt(12, 0, 0)
        .and_then(|t| t.and_local_timezone(PARIS).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// Checks the submission form; the error says in French what to fix.
fn check_submission(form: &SubmissionForm, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if form.signataire.trim().is_empty() {
        return Err("Indiquez qui a transmis la déclaration (nom et fonction).".into());
    }
    if !CHANNELS.iter().any(|(code, _)| *code == form.canal) {
        return Err("Choisissez le canal par lequel la déclaration a été transmise.".into());
    }
    if form.recu.trim().is_empty() {
        return Err(
            "Indiquez le reçu de l'organisme (numéro de dépôt, référence du message).".into(),
        );
    }
    let date: NaiveDate = form.date.parse().map_err(|_| {
        format!(
            "Date de transmission illisible « {} » (attendu : AAAA-MM-JJ).",
            form.date
        )
    })?;
    if date > now.with_timezone(&PARIS).date_naive() {
        return Err("La date de transmission ne peut pas être dans le futur.".into());
    }
    Ok(sent_at(date, now))
}

pub async fn submission(
    State(state): State<AppState>,
    user: SignedIn,
    Path(path): Path<(String, String, String)>,
    Form(form): Form<SubmissionForm>,
) -> Result<Response, PageError> {
    let t = target(&state, &user, path, Action::Approve)?;
    user.check_csrf(&form.csrf)?;
    let at = match check_submission(&form, state.now()) {
        Ok(at) => at,
        Err(message) => {
            return refuse(
                &state,
                &user,
                &t,
                form.version,
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
            )
            .await
        }
    };
    // The same store call as `releve submitted`.
    let result = state
        .store()
        .mark_submitted(
            &t.org,
            t.body.code(),
            t.month,
            form.version,
            &actor(&user, &form.signataire),
            &form.canal,
            form.recu.trim(),
            at,
        )
        .await;
    // A deposit package of the outbox for this version is done once its receipt is recorded
    // ("Enregistrer le dépôt"), as with `releve submitted`.
    let key = releve_store::idempotency_key(
        &t.org,
        t.body.code(),
        &t.month.to_string(),
        form.version,
        crate::submit::deposit::CODE,
    );
    let result = match result {
        Ok(_) => state
            .store()
            .record_submission_receipt(&key, form.recu.trim(), at)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match result {
        Ok(_) => Ok(back(&t, form.version, "transmise")),
        Err(e) => refuse(&state, &user, &t, form.version, StatusCode::CONFLICT, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(canal: &str, recu: &str, date: &str) -> SubmissionForm {
        SubmissionForm {
            csrf: String::new(),
            version: 1,
            signataire: "Claire Martin, directrice".into(),
            canal: canal.into(),
            recu: recu.into(),
            date: date.into(),
        }
    }

    #[test]
    fn a_submission_needs_a_known_channel_a_receipt_and_a_past_date() {
        // 3 December 2026, 11:00 UTC = 12:00 in Paris.
        let now: DateTime<Utc> = "2026-12-03T11:00:00Z".parse().unwrap();
        assert_eq!(
            check_submission(&form("portail", "R-1", "2026-12-03"), now),
            Ok(now)
        );
        // An earlier day: noon in Paris (UTC+1 in December).
        assert_eq!(
            check_submission(&form("portail", "R-1", "2026-12-01"), now),
            Ok("2026-12-01T11:00:00Z".parse().unwrap())
        );
        assert!(check_submission(&form("pigeon", "R-1", "2026-12-01"), now).is_err());
        assert!(check_submission(&form("portail", " ", "2026-12-01"), now).is_err());
        assert!(check_submission(&form("portail", "R-1", "2026-12-04"), now)
            .unwrap_err()
            .contains("futur"));
    }
}
