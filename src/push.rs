//! The vendor push (`formats.md` §6 "Vendor push"): tickets a vendor sends to
//! `POST /api/v1/organisations/{org}/tickets`, for a `kind = "push"` source of the organisation.
//!
//! One entry point, [`receive`], called by the API handler with the raw body:
//! 1. `Idempotency-Key` required; the body's SHA-256 is compared with what was recorded under
//!    that key: the same body gets the recorded answer and nothing is applied again, another
//!    body is a conflict (409);
//! 2. the body `{"source", "tickets": [...], "replace_performances": [...]}` is read; an unknown
//!    source is a 422, more than [`MAX_TICKETS`] tickets a 413 (the byte limit is the handler's);
//! 3. tickets are mapped by the code of `tickets_csv` (`releve_collectors::push`), good ones
//!    upserted into the same ledger as an import of that source, rejected ones answered with
//!    their index, field and French message and added to the source's quarantine;
//! 4. for each performance of `replace_performances`, the source's stored tickets that the
//!    request does not carry become cancelled (a vendor's full replacement);
//! 5. the answer is recorded under the key.
//!
//! Pushes of one organisation are applied one at a time in this process, so that a replay
//! racing its original cannot apply twice. Nothing of the body is logged.

use crate::config::OrganisationConfig;
use anyhow::Context;
use chrono::{DateTime, Utc};
use releve_collectors::push::map_tickets;
use releve_store::{PushAnswer, Store};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// At most this many tickets in one request (413 beyond).
pub const MAX_TICKETS: usize = 10_000;
/// At most this many bytes in one request (413 beyond).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Longest accepted `Idempotency-Key`.
pub const MAX_KEY_LENGTH: usize = 200;

/// Why a push was refused (the handler maps each to its status code).
#[derive(Debug)]
pub enum PushError {
    /// 422: invalid request (message in French).
    Invalid(String),
    /// 409: the key was used with another body.
    Conflict(String),
    /// 413: too many tickets or bytes.
    TooLarge(String),
    /// 500.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for PushError {
    fn from(e: anyhow::Error) -> PushError {
        PushError::Failed(e)
    }
}

#[derive(Deserialize)]
struct PushBody {
    source: String,
    tickets: Vec<Value>,
    #[serde(default)]
    replace_performances: Vec<String>,
}

/// The answer of a push: its HTTP status and JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    /// `true` when this is the recorded answer of an earlier request (nothing was applied).
    pub replayed: bool,
}

fn organisation_lock(org: &str) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let mut locks = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    locks.entry(org.to_string()).or_default().clone()
}

/// Receives one push (see the module doc).
pub async fn receive(
    store: &Store,
    org: &OrganisationConfig,
    idempotency_key: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Answer, PushError> {
    let slug = org.organisation.slug.as_str();
    let key = idempotency_key.map(str::trim).unwrap_or_default();
    if key.is_empty() {
        return Err(PushError::Invalid(
            "en-tête Idempotency-Key manquant : donnez à chaque envoi une clé unique (par exemple \
             un UUID), et la même clé quand vous renvoyez le même envoi"
                .into(),
        ));
    }
    if key.len() > MAX_KEY_LENGTH || key.chars().any(char::is_control) {
        return Err(PushError::Invalid(format!(
            "en-tête Idempotency-Key invalide : au plus {MAX_KEY_LENGTH} caractères imprimables"
        )));
    }
    if body.len() > MAX_BYTES {
        return Err(too_many_bytes());
    }
    let hash = hex::encode(Sha256::digest(body));
    let lock = organisation_lock(slug);
    let _one_at_a_time = lock.lock().await;
    if let Some(recorded) = store
        .push_answer(slug, key)
        .await
        .context("clé d'idempotence")?
    {
        return replay(recorded, &hash, key);
    }
    let request: PushBody = parse(body)?;
    let source = request.source.trim();
    let push_sources: Vec<&str> = org
        .sources
        .iter()
        .filter(|s| s.kind.is_push())
        .map(|s| s.key.as_str())
        .collect();
    if !push_sources.contains(&source) {
        return Err(PushError::Invalid(format!(
            "source « {source} » inconnue : l'organisation déclare comme sources push : {}",
            if push_sources.is_empty() {
                "aucune (ajoutez [[organisation.source]] kind = \"push\", name = \"…\" à la configuration)".to_string()
            } else {
                push_sources.join(", ")
            }
        )));
    }
    if request.tickets.len() > MAX_TICKETS {
        return Err(PushError::TooLarge(format!(
            "{} billets dans un seul envoi : au plus {MAX_TICKETS} ; découpez l'envoi (une clé \
             Idempotency-Key par morceau)",
            request.tickets.len()
        )));
    }

    let batch = map_tickets(source, &request.tickets);
    if !batch.performances.is_empty() {
        store
            .upsert_performances(slug, &batch.performances)
            .await
            .context("enregistrement des représentations")?;
    }
    if !batch.tickets.is_empty() {
        store
            .upsert_tickets(slug, &batch.tickets)
            .await
            .context("enregistrement des billets")?;
    }
    // Every id the request carries, accepted or not: a rejected ticket's stored version is
    // neither cancelled by a replacement nor kept in quarantine under its old rejection.
    let carried: HashSet<String> = request
        .tickets
        .iter()
        .filter_map(|t| match &t["ticket_id"] {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    let mut cancelled = 0;
    let prefix = format!("{source}:");
    for performance in &request.replace_performances {
        let id = performance.trim();
        let id = id.strip_prefix(&prefix).unwrap_or(id);
        cancelled += store
            .cancel_tickets_not_in(slug, source, id, &carried)
            .await
            .context("remplacement des billets d'une représentation")?;
    }
    let quarantined: Vec<_> = batch
        .rejected
        .iter()
        .map(|r| r.quarantined.clone())
        .collect();
    store
        .add_push_quarantine(slug, source, &carried, &quarantined)
        .await
        .context("mise en quarantaine")?;
    let body = json!({
        "accepted": batch.tickets.len(),
        "rejected": batch.rejected.iter().map(|r| json!({
            "index": r.index,
            "field": r.field,
            "message": r.message,
        })).collect::<Vec<_>>(),
        "cancelled": cancelled,
    });
    let answer = PushAnswer {
        body_sha256: hash.clone(),
        status: 200,
        answer: body.clone(),
    };
    tracing::info!(
        org = slug,
        source,
        accepted = batch.tickets.len(),
        rejected = batch.rejected.len(),
        cancelled,
        "push applied"
    );
    if !store
        .record_push_answer(slug, key, &answer, now)
        .await
        .context("clé d'idempotence")?
    {
        // Another process recorded this key meanwhile: answer as it did.
        if let Some(recorded) = store
            .push_answer(slug, key)
            .await
            .context("clé d'idempotence")?
        {
            return replay(recorded, &hash, key);
        }
    }
    Ok(Answer {
        status: 200,
        body,
        replayed: false,
    })
}

fn too_many_bytes() -> PushError {
    PushError::TooLarge(format!(
        "envoi trop volumineux : au plus {} Mo par requête ; découpez l'envoi",
        MAX_BYTES / (1024 * 1024)
    ))
}

fn replay(recorded: PushAnswer, hash: &str, key: &str) -> Result<Answer, PushError> {
    if recorded.body_sha256 != hash {
        return Err(PushError::Conflict(format!(
            "la clé Idempotency-Key « {key} » a déjà servi pour un autre envoi : chaque envoi \
             différent doit porter une clé nouvelle"
        )));
    }
    Ok(Answer {
        status: recorded.status,
        body: recorded.answer,
        replayed: true,
    })
}

fn parse(body: &[u8]) -> Result<PushBody, PushError> {
    crate::server::api::json_body::parse(body).map_err(|e| PushError::Invalid(e.message))
}
