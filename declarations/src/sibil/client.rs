//! The SIBIL REST API v2 client: sends the declarations of a `sibil.json` model.
//!
//! The contract (the Ministry's OpenAPI, as used by the betagouv pilot):
//! - `POST /api/v2/authenticate` `{username, password}` → `{id_token, typeError}`; a refused
//!   login answers an empty `id_token` with `typeError: "NOT AUTHENTICATED"` (status 200 or
//!   401). Every later call carries `Authorization: Bearer <id_token>`. There is no logout.
//! - `GET /api/v2/domaine-representations?sansPagination=true` → `[{id, libelle, actif}]`: the
//!   domain ids differ between environments, so they are looked up by label (case, accents and
//!   spaces ignored) instead of being written in code.
//! - `GET /api/v2/lieux/types` → `[{code, value}]`: the venue types the server accepts.
//! - `GET /api/v2/declarations?idExtBilletterie.equals=<id>` → `{hits, result[]}` (JHipster
//!   criteria), `POST /api/v2/declarations` creates, `PUT /api/v2/declarations` (with `id` and
//!   `version`) updates.
//! - Errors are JHipster problem JSON `{errorKey, title, status, message}`; a second declaration
//!   with the same start time and the same show title under another `idExtBilletterie` is
//!   refused with `errorKey: "errorsDataSib"` ("Une déclaration existe déjà …").
//!
//! Idempotency: each declaration is searched by its `idExtBilletterie` and updated (PUT with
//! the server's `id` and `version`) when found, created (POST) otherwise, so sending the same
//! month twice changes nothing and a later run corrects the figures in place.
//!
//! Session expiry: a 401 on any call triggers one new authentication and one retry of that
//! call; a second 401 is a clear error (the account lost its rights, or the password changed).
//!
//! Amounts: the model keeps them as decimal strings (`"5874.00"`); the DTO wants JSON numbers.
//! [`Wire`] writes each amount's decimal text as the JSON number itself (a raw number, never
//! through a float), so `1234567.89` leaves as `1234567.89` whatever its size.

use super::model::{SibilDeclaration, SibilFile};
use releve_domain::text::normalise_key;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// The declarant's SIBIL account (a secondary account of type "SIB", for ticketing systems).
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// What went wrong, in French, with what to do.
#[derive(Debug, thiserror::Error)]
pub enum SibilError {
    #[error(
        "SIBIL : identifiants refusés pour le compte « {username} ». Vérifiez le nom d'utilisateur et le mot de \
         passe du compte secondaire SIBIL (type billetterie) dans la configuration."
    )]
    WrongCredentials { username: String },
    #[error(
        "SIBIL : accès refusé (401) à {path} même après une nouvelle connexion du compte « {username} ». Le compte \
         n'a plus les droits de déclaration ou son mot de passe a changé : vérifiez-le sur le portail SIBIL."
    )]
    Unauthorized { username: String, path: String },
    #[error(
        "SIBIL : la représentation « {title} » du {starts_at} (identifiant {id_ext}) est refusée comme doublon : \
         une autre déclaration existe déjà avec la même date, la même heure et le même spectacle ({message}). \
         Si elle a été saisie à la main sur le portail SIBIL, supprimez-la là-bas puis relancez l'envoi."
    )]
    Duplicate {
        id_ext: String,
        title: String,
        starts_at: String,
        message: String,
    },
    #[error(
        "SIBIL : le domaine « {label} » (représentation {id_ext}) n'existe pas parmi les domaines actifs de SIBIL. \
         Corrigez le libellé dans la table des disciplines (colonne sibil_label)."
    )]
    UnknownDomain { id_ext: String, label: String },
    #[error(
        "SIBIL : le type de lieu « {type_lieu} » (représentation {id_ext}) n'est pas accepté par SIBIL (types \
         acceptés : {accepted}). Corrigez la colonne venue_type du programme."
    )]
    UnknownVenueType {
        id_ext: String,
        type_lieu: String,
        accepted: String,
    },
    #[error("SIBIL : {method} {path} a répondu {status} : {message}")]
    Rejected {
        method: String,
        path: String,
        status: u16,
        message: String,
    },
    #[error("SIBIL : serveur injoignable ({url}) : {reason}. Vérifiez l'adresse de l'API et la connexion.")]
    Transport { url: String, reason: String },
    #[error("SIBIL : réponse illisible de {path} : {reason}")]
    Unreadable { path: String, reason: String },
}

impl SibilError {
    /// Errors that concern one declaration; the others stop the whole sending.
    pub fn is_per_declaration(&self) -> bool {
        matches!(
            self,
            SibilError::Duplicate { .. }
                | SibilError::UnknownDomain { .. }
                | SibilError::UnknownVenueType { .. }
                | SibilError::Rejected { .. }
        )
    }
}

/// A domain of the SIBIL referential.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Domain {
    pub id: i64,
    pub libelle: String,
    #[serde(default)]
    pub actif: Option<bool>,
}

/// A venue type accepted by the server.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct VenueType {
    pub code: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// A declaration as the server holds it (the fields we need to update it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existing {
    pub id: i64,
    pub version: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Created,
    Updated,
}

/// One declaration accepted by SIBIL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub id_ext_billetterie: String,
    /// The server's id, when it answered one.
    pub sibil_id: Option<i64>,
    pub action: Action,
}

/// The outcome of sending a file: what was accepted, what was refused and why.
#[derive(Debug, Default)]
pub struct SendReport {
    pub sent: Vec<Sent>,
    pub failed: Vec<(String, SibilError)>,
}

pub struct SibilClient {
    http: reqwest::Client,
    base: String,
    credentials: Credentials,
    token: Option<String>,
}

const DECLARATIONS: &str = "/api/v2/declarations";

impl SibilClient {
    /// A client for the API at `base_url` (e.g. `https://sibil.culture.gouv.fr`, without
    /// `/api/v2`). Nothing is sent before the first call.
    pub fn new(base_url: &str, credentials: Credentials) -> Result<SibilClient, SibilError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("releve/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| SibilError::Transport {
                url: base_url.to_string(),
                reason: e.to_string(),
            })?;
        Ok(SibilClient {
            http,
            base: base_url.trim_end_matches('/').to_string(),
            credentials,
            token: None,
        })
    }

    /// Logs in and keeps the token for the next calls.
    pub async fn authenticate(&mut self) -> Result<(), SibilError> {
        let path = "/api/v2/authenticate";
        let body = json!({
            "username": self.credentials.username,
            "password": self.credentials.password,
            "rememberMe": false,
        });
        let (status, value) = self
            .raw(Method::POST, path, &[], Some(&Body::Json(&body)), None)
            .await?;
        let token = value
            .get("id_token")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let refused = value.get("typeError").and_then(Value::as_str) == Some("NOT AUTHENTICATED");
        if status == StatusCode::UNAUTHORIZED || token.is_empty() || refused {
            return Err(SibilError::WrongCredentials {
                username: self.credentials.username.clone(),
            });
        }
        if !status.is_success() {
            return Err(rejected(Method::POST, path, status, &value));
        }
        self.token = Some(token.to_string());
        Ok(())
    }

    /// The active domains of the referential.
    pub async fn domains(&mut self) -> Result<Vec<Domain>, SibilError> {
        let path = "/api/v2/domaine-representations";
        let value = self
            .call(Method::GET, path, &[("sansPagination", "true")], None)
            .await?;
        let all: Vec<Domain> = parse(path, collection(value))?;
        Ok(all.into_iter().filter(|d| d.actif != Some(false)).collect())
    }

    /// The venue types the server accepts.
    pub async fn venue_types(&mut self) -> Result<Vec<VenueType>, SibilError> {
        let path = "/api/v2/lieux/types";
        let value = self.call(Method::GET, path, &[], None).await?;
        parse(path, collection(value))
    }

    /// The declaration the server holds under `id_ext`, if any.
    pub async fn find(&mut self, id_ext: &str) -> Result<Option<Existing>, SibilError> {
        let value = self
            .call(
                Method::GET,
                DECLARATIONS,
                &[("idExtBilletterie.equals", id_ext)],
                None,
            )
            .await?;
        let found = collection(value).as_array().and_then(|items| {
            items
                .iter()
                .find(|d| d.get("idExtBilletterie").and_then(Value::as_str) == Some(id_ext))
                .cloned()
        });
        match found {
            None => Ok(None),
            Some(d) => {
                let id =
                    d.get("id")
                        .and_then(Value::as_i64)
                        .ok_or_else(|| SibilError::Unreadable {
                            path: DECLARATIONS.into(),
                            reason: format!("déclaration {id_ext} sans identifiant"),
                        })?;
                Ok(Some(Existing {
                    id,
                    version: d.get("version").and_then(Value::as_i64),
                }))
            }
        }
    }

    /// Creates the declaration, or updates it when the server already holds its
    /// `idExtBilletterie`.
    pub async fn upsert(
        &mut self,
        declaration: &SibilDeclaration,
        domain_id: i64,
    ) -> Result<Sent, SibilError> {
        let mut body = wire(declaration, domain_id);
        let existing = self.find(&declaration.id_ext_billetterie).await?;
        let (method, action) = match &existing {
            Some(e) => {
                body.insert("id", json!(e.id));
                if let Some(v) = e.version {
                    body.insert("version", json!(v));
                }
                (Method::PUT, Action::Updated)
            }
            None => (Method::POST, Action::Created),
        };
        let answer = self
            .call(method, DECLARATIONS, &[], Some(&Body::Wire(&body)))
            .await
            .map_err(|e| duplicate(e, declaration))?;
        Ok(Sent {
            id_ext_billetterie: declaration.id_ext_billetterie.clone(),
            sibil_id: answer
                .get("id")
                .and_then(Value::as_i64)
                .or(existing.map(|e| e.id)),
            action,
        })
    }

    /// Sends every declaration of the file. Problems of one declaration (duplicate, unknown
    /// domain or venue type, refusal) are collected and the others still go; a login or
    /// connection problem stops everything.
    pub async fn send(&mut self, file: &SibilFile) -> Result<SendReport, SibilError> {
        let domains = self.domains().await?;
        let types = self.venue_types().await?;
        let mut report = SendReport::default();
        for d in &file.declarations {
            let id_ext = d.id_ext_billetterie.clone();
            let outcome = match domain_id(&domains, &d.domaine_representation_libelle) {
                None => Err(SibilError::UnknownDomain {
                    id_ext: id_ext.clone(),
                    label: d.domaine_representation_libelle.clone(),
                }),
                Some(_) if !types.iter().any(|t| t.code == d.lieu_champs.type_lieu) => {
                    Err(SibilError::UnknownVenueType {
                        id_ext: id_ext.clone(),
                        type_lieu: d.lieu_champs.type_lieu.clone(),
                        accepted: types
                            .iter()
                            .map(|t| t.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                }
                Some(id) => self.upsert(d, id).await,
            };
            match outcome {
                Ok(sent) => report.sent.push(sent),
                Err(e) if e.is_per_declaration() => report.failed.push((id_ext, e)),
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// An authenticated call: logs in first if needed, and once more after a 401.
    async fn call(
        &mut self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Body<'_>>,
    ) -> Result<Value, SibilError> {
        if self.token.is_none() {
            self.authenticate().await?;
        }
        for attempt in 0..2 {
            let token = self.token.clone();
            let (status, value) = self
                .raw(method.clone(), path, query, body, token.as_deref())
                .await?;
            if status == StatusCode::UNAUTHORIZED {
                if attempt == 0 {
                    self.token = None;
                    self.authenticate().await?;
                    continue;
                }
                return Err(SibilError::Unauthorized {
                    username: self.credentials.username.clone(),
                    path: path.to_string(),
                });
            }
            if !status.is_success() {
                return Err(rejected(method, path, status, &value));
            }
            return Ok(value);
        }
        unreachable!("the loop returns on its second attempt")
    }

    async fn raw(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Body<'_>>,
        token: Option<&str>,
    ) -> Result<(StatusCode, Value), SibilError> {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method, &url).query(query);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            let text = match body {
                Body::Json(value) => value.to_string(),
                Body::Wire(wire) => wire.to_json(),
            };
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(text);
        }
        let response = request.send().await.map_err(|e| SibilError::Transport {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| SibilError::Transport {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        let value = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            match serde_json::from_slice(&bytes) {
                Ok(v) => v,
                // An error page in HTML: keep its text for the message.
                Err(_) if !status.is_success() => {
                    Value::String(String::from_utf8_lossy(&bytes).chars().take(300).collect())
                }
                Err(e) => {
                    return Err(SibilError::Unreadable {
                        path: path.to_string(),
                        reason: e.to_string(),
                    })
                }
            }
        };
        Ok((status, value))
    }
}

/// The id of the domain whose label matches ours, case, accents and spaces ignored
/// (`Opéra / théâtre lyrique` = `Opéra/Théâtre lyrique`).
pub fn domain_id(domains: &[Domain], label: &str) -> Option<i64> {
    let key = |s: &str| normalise_key(s).replace(' ', "");
    let wanted = key(label);
    domains
        .iter()
        .find(|d| key(&d.libelle) == wanted)
        .map(|d| d.id)
}

/// The DTO sent for a declaration: the model's fields, amounts as numbers, the domain as the
/// environment's id (also the show's domain), without our reader-only fields and nulls.
pub fn wire(declaration: &SibilDeclaration, domain_id: i64) -> Wire {
    let Ok(Value::Object(mut body)) = serde_json::to_value(declaration) else {
        unreachable!("a declaration serialises to an object")
    };
    body.remove("performance_id");
    body.remove("domaineRepresentationLibelle");
    body.insert("domaineRepresentationId".into(), json!(domain_id));
    if let Some(Value::Object(show)) = body.get_mut("spectacleChamps") {
        show.insert("domaineSpectacleId".into(), json!(domain_id));
    }
    strip_nulls(&mut body);
    Wire { fields: body }
}

/// The DTO's amount fields: decimal strings in the model, JSON numbers on the wire.
pub const AMOUNT_FIELDS: [&str; 4] = [
    "recetteTotalBilletterie",
    "prixMoyenTotalBilletterie",
    "recetteTarifPlein",
    "prixMoyenTarifPlein",
];

/// A declaration as sent: its fields, with [`AMOUNT_FIELDS`] kept as their decimal text and
/// written as raw JSON numbers by [`Wire::to_json`] (and its `Serialize`), so that no amount
/// ever goes through a float.
#[derive(Clone, Debug, PartialEq)]
pub struct Wire {
    fields: Map<String, Value>,
}

impl Wire {
    pub fn insert(&mut self, key: &str, value: Value) {
        self.fields.insert(key.to_string(), value);
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// The JSON text sent (and stored as proof).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a map of JSON values serialises")
    }
}

impl serde::Serialize for Wire {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (key, value) in &self.fields {
            match value {
                Value::String(text) if AMOUNT_FIELDS.contains(&key.as_str()) => {
                    let number = raw_number(text).ok_or_else(|| {
                        serde::ser::Error::custom(format!("{key} : montant « {text} » invalide"))
                    })?;
                    map.serialize_entry(key, &number)?;
                }
                other => map.serialize_entry(key, other)?,
            }
        }
        map.end()
    }
}

/// A decimal text (`-?digits[.digits]`, as `Money` writes it) as a raw JSON number.
fn raw_number(text: &str) -> Option<Box<serde_json::value::RawValue>> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let canonical = whole == "0" || !whole.starts_with('0');
    if !(plain(whole) && plain(fraction) && canonical) {
        return None;
    }
    serde_json::value::RawValue::from_string(text.to_string()).ok()
}

/// A request body: plain JSON, or a declaration with its raw amounts.
enum Body<'a> {
    Json(&'a Value),
    Wire(&'a Wire),
}

fn strip_nulls(map: &mut Map<String, Value>) {
    map.retain(|_, v| !v.is_null());
    for v in map.values_mut() {
        if let Value::Object(inner) = v {
            strip_nulls(inner);
        }
    }
}

/// A collection answer: JHipster pages wrap the items in `result`, referentials are bare lists.
fn collection(value: Value) -> Value {
    match value {
        Value::Object(mut o) if o.contains_key("result") => o.remove("result").unwrap_or_default(),
        other => other,
    }
}

fn parse<T: serde::de::DeserializeOwned>(path: &str, value: Value) -> Result<T, SibilError> {
    serde_json::from_value(value).map_err(|e| SibilError::Unreadable {
        path: path.to_string(),
        reason: e.to_string(),
    })
}

/// The problem JSON's title (or message) as the reason of a refusal.
fn rejected(method: Method, path: &str, status: StatusCode, value: &Value) -> SibilError {
    let message = ["title", "detail", "message"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_str))
        .map(str::to_string)
        .or_else(|| value.as_str().map(str::to_string))
        .unwrap_or_else(|| value.to_string());
    SibilError::Rejected {
        method: method.to_string(),
        path: path.to_string(),
        status: status.as_u16(),
        message,
    }
}

/// A 400 whose problem is SIBIL's "same data already exists" becomes [`SibilError::Duplicate`].
fn duplicate(error: SibilError, d: &SibilDeclaration) -> SibilError {
    match error {
        SibilError::Rejected {
            status: 400,
            message,
            ..
        } if is_duplicate_message(&message) => SibilError::Duplicate {
            id_ext: d.id_ext_billetterie.clone(),
            title: d.spectacle_champs.critere1.clone(),
            starts_at: d.date_heure_representation_unique.clone(),
            message,
        },
        other => other,
    }
}

fn is_duplicate_message(message: &str) -> bool {
    let m = normalise_key(message);
    m.contains("existe deja") || m.contains("errorsdatasib")
}
