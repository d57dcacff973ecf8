//! A local SIBIL API v2 for the submission tests, shaped like the real one (the contract in
//! `declarations/src/sibil/client.rs`): `POST /api/v2/authenticate`, bearer tokens (401 when
//! missing or expired), the domain and venue-type referentials, the search by
//! `idExtBilletterie` answering `{hits, result}`, `POST` to create, `PUT` with `id` and
//! `version` to update, JHipster problem JSON for refusals.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const USER: &str = "digues-billetterie";
pub const PASSWORD: &str = "mot-de-passe-sibil-9f3k";

#[derive(Default)]
pub struct SibilState {
    pub logins: u32,
    pub token: Option<String>,
    /// The first token stops working after this many authenticated calls (session timeout).
    pub expire_first_token_after: Option<u32>,
    pub calls_with_token: u32,
    pub declarations: Vec<Value>,
    pub posts: u32,
    pub puts: u32,
    /// A declaration with this `idExtBilletterie` is refused (400) with a validation message.
    pub refuse_id_ext: Option<String>,
}

pub type Shared = Arc<Mutex<SibilState>>;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/api/v2/authenticate", post(authenticate))
        .route("/api/v2/domaine-representations", get(domains))
        .route("/api/v2/lieux/types", get(types))
        .route("/api/v2/declarations", get(search).post(create).put(update))
        .with_state(state)
}

fn problem(status: StatusCode, key: &str, title: &str) -> (StatusCode, Json<Value>) {
    (
        status,
        Json(
            json!({"entityName": "declaration", "errorKey": key, "title": title,
                    "status": status.as_u16(), "message": format!("error.{key}")}),
        ),
    )
}

async fn authenticate(
    State(s): State<Shared>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut s = s.lock().unwrap();
    if body["username"] == USER && body["password"] == PASSWORD {
        s.logins += 1;
        let token = format!("jeton-sibil-{}", s.logins);
        s.token = Some(token.clone());
        s.calls_with_token = 0;
        return (
            StatusCode::OK,
            Json(json!({"id_token": token, "typeError": "AUTHENTICATED"})),
        );
    }
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"id_token": "", "typeError": "NOT AUTHENTICATED"})),
    )
}

/// `Err` is the 401 to answer.
fn check(s: &mut SibilState, headers: &HeaderMap) -> Result<(), (StatusCode, Json<Value>)> {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let expected = s.token.as_ref().map(|t| format!("Bearer {t}"));
    let expired = s.logins == 1
        && s.expire_first_token_after
            .is_some_and(|n| s.calls_with_token >= n);
    if expected.is_none() || given != expected || expired {
        return Err(problem(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Full authentication is required",
        ));
    }
    s.calls_with_token += 1;
    Ok(())
}

async fn domains(State(s): State<Shared>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    if let Err(e) = check(&mut s.lock().unwrap(), &headers) {
        return e;
    }
    let labels = [
        "Théâtre",
        "Jazz / blues",
        "Chanson / variétés",
        "Musique classique",
        "Danse de création",
        "Opéra / théâtre lyrique",
        "Pop / rock / reggae et genres assimilés",
        "Cirque de création",
        "Humour / sketch",
        "Pluridisciplinaire / autre",
        "Musiques du monde",
        "Conte",
        "Marionnettes",
        "Arts de la rue",
        "Comédie musicale / théâtre musical",
    ];
    let list: Vec<Value> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| json!({"id": 100 + i, "libelle": l, "actif": true}))
        .collect();
    (StatusCode::OK, Json(Value::Array(list)))
}

async fn types(State(s): State<Shared>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    if let Err(e) = check(&mut s.lock().unwrap(), &headers) {
        return e;
    }
    let codes = [
        "THEATRE",
        "ESPACE_POLYVALENT",
        "SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH",
        "CABARET_MUSIC_HALL",
        "PLEIN_AIR_PARC_LOISIRS_ATTRACTION",
        "AUTRE",
    ];
    let list: Vec<Value> = codes
        .iter()
        .map(|c| json!({"code": c, "value": c}))
        .collect();
    (StatusCode::OK, Json(Value::Array(list)))
}

async fn search(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    let mut s = s.lock().unwrap();
    if let Err(e) = check(&mut s, &headers) {
        return e;
    }
    let wanted = q.get("idExtBilletterie.equals");
    let result: Vec<Value> = s
        .declarations
        .iter()
        .filter(|d| wanted.is_none_or(|w| d["idExtBilletterie"] == **w))
        .cloned()
        .collect();
    (
        StatusCode::OK,
        Json(json!({"hits": {"total": result.len()}, "result": result})),
    )
}

fn refused(s: &SibilState, d: &Value) -> Option<(StatusCode, Json<Value>)> {
    (s.refuse_id_ext.as_deref() == d["idExtBilletterie"].as_str()).then(|| {
        problem(
            StatusCode::BAD_REQUEST,
            "invalid",
            "La jauge est obligatoire pour une représentation payante",
        )
    })
}

async fn create(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(d): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut s = s.lock().unwrap();
    if let Err(e) = check(&mut s, &headers) {
        return e;
    }
    if let Some(r) = refused(&s, &d) {
        return r;
    }
    if s.declarations
        .iter()
        .any(|o| o["idExtBilletterie"] == d["idExtBilletterie"])
    {
        return problem(StatusCode::BAD_REQUEST, "errorsDataSib", "Une déclaration existe déjà dans la base de données SIBIL avec les mêmes données saisies");
    }
    s.posts += 1;
    let mut stored = d.clone();
    stored["id"] = json!(5000 + s.declarations.len());
    stored["version"] = json!(1);
    s.declarations.push(stored.clone());
    (StatusCode::CREATED, Json(stored))
}

async fn update(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(d): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut s = s.lock().unwrap();
    if let Err(e) = check(&mut s, &headers) {
        return e;
    }
    if let Some(r) = refused(&s, &d) {
        return r;
    }
    let Some(i) = s.declarations.iter().position(|o| o["id"] == d["id"]) else {
        return problem(StatusCode::BAD_REQUEST, "idnull", "Déclaration inconnue");
    };
    if s.declarations[i]["version"] != d["version"] {
        return problem(StatusCode::BAD_REQUEST, "version", "Version périmée");
    }
    s.puts += 1;
    let mut stored = d.clone();
    stored["version"] = json!(d["version"].as_i64().unwrap_or(0) + 1);
    s.declarations[i] = stored.clone();
    (StatusCode::OK, Json(stored))
}
