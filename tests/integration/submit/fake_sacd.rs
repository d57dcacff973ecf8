//! A local SACD teletransmission service for the submission tests, shaped like the real one
//! (`reference/ministry-pilot.md` §4.3): form-urlencoded login answering `{AuthToken}`, calls
//! signed with `key` and `token = md5(secret + AuthToken)`, the XML in
//! `parameters[Declaration]`, JSON errors on HTTP 200, an XML answer with one
//! `Representation` per line (`OK`/`KO`/`WARNING`), and lines kept once per
//! (`dec_ref`, `rep_ref_dec`, `rep_version`): a re-sent line is not a second declaration.

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use md5::{Digest, Md5};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

pub const PROVIDER: &str = "releve-test";
pub const REFFILE: &str = "REF-0042";
pub const PASSWORD: &str = "mot-de-passe-sacd-7h2q";
pub const CONSUMER_KEY: &str = "cle-consommateur-x81";
pub const SECRET_KEY: &str = "cle-secrete-m29z";

#[derive(Default)]
pub struct SacdState {
    pub logins: u32,
    pub auth_token: Option<String>,
    pub declaration_posts: u32,
    /// (dec_ref, rep_ref_dec, rep_version) → times received.
    pub received: BTreeMap<(String, String, String), u32>,
    /// Lines with this `rep_ref_dec` are answered KO.
    pub ko_ref: Option<String>,
    /// Every line gets a WARNING (when not KO).
    pub warn_all: bool,
    /// Answer this JSON error (on HTTP 200) to every declaration.
    pub json_error: Option<String>,
}

pub type Shared = Arc<Mutex<SacdState>>;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/ticketing/auto-access.json", post(login))
        .route(
            "/ticketing/broker/ExploitFileTransmitETicketingDeclarationWS",
            post(declaration),
        )
        .route("/ticketing/logout", get(logout))
        .with_state(state)
}

pub fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn login(State(s): State<Shared>, Form(f): Form<HashMap<String, String>>) -> String {
    let mut s = s.lock().unwrap();
    let ok = f.get("login[login]").map(String::as_str) == Some(REFFILE)
        && f.get("login[password]") == Some(&md5_hex(PASSWORD))
        && f.get("login[consumer_key]").map(String::as_str) == Some(CONSUMER_KEY);
    if !ok {
        return r#"{"Error":{"Code":"ERR_LOGIN","Message":"Identifiants invalides"}}"#.into();
    }
    s.logins += 1;
    let token = format!("auth-{}", s.logins);
    s.auth_token = Some(token.clone());
    format!(r#"{{"AuthToken":"{token}"}}"#)
}

fn signed(s: &SacdState, q: &HashMap<String, String>) -> bool {
    let Some(auth) = &s.auth_token else {
        return false;
    };
    q.get("key").map(String::as_str) == Some(CONSUMER_KEY)
        && q.get("token") == Some(&md5_hex(&format!("{SECRET_KEY}{auth}")))
}

/// (rep_ref_dec, rep_version) of each Representation, and dec_ref.
fn read_xml(xml: &str) -> (String, Vec<(String, String)>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut dec_ref, mut lines, mut tag) = (String::new(), Vec::new(), String::new());
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                tag = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if tag == "Representation" {
                    current = Some(Default::default());
                }
            }
            Ok(Event::Text(t)) => {
                let text = t.unescape().unwrap().trim().to_string();
                match (tag.as_str(), current.as_mut()) {
                    ("dec_ref", _) => dec_ref = text,
                    ("rep_ref_dec", Some(c)) => c.0 = text,
                    ("rep_version", Some(c)) => c.1 = text,
                    _ => {}
                }
            }
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"Representation" {
                    lines.extend(current.take());
                }
                tag.clear();
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("XML reçu illisible : {e}"),
            _ => {}
        }
    }
    (dec_ref, lines)
}

async fn declaration(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> String {
    let mut s = s.lock().unwrap();
    if !signed(&s, &q)
        || f.get("parameters[Application]").map(String::as_str) != Some(PROVIDER)
        || f.get("parameters[LoginRefFile]").map(String::as_str) != Some(REFFILE)
    {
        return r#"{"Error":{"Code":"ERR_WS_TOKEN","Message":"Jeton invalide"}}"#.into();
    }
    if let Some(e) = &s.json_error {
        return e.clone();
    }
    s.declaration_posts += 1;
    let xml = f
        .get("parameters[Declaration]")
        .cloned()
        .unwrap_or_default();
    let (dec_ref, lines) = read_xml(&xml);
    let mut answer = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Declaration><Header><dec_ref>{dec_ref}</dec_ref>\
         <dec_nb>{}</dec_nb><sacd_date>2025/12/05</sacd_date></Header><Representations>",
        lines.len()
    );
    for (i, (reference, version)) in lines.iter().enumerate() {
        let ko = s.ko_ref.as_deref() == Some(reference.as_str());
        if !ko {
            *s.received
                .entry((dec_ref.clone(), reference.clone(), version.clone()))
                .or_insert(0) += 1;
        }
        let (statut, extra) = if ko {
            (
                "KO",
                "<champ>salle_jauge</champ><message>La jauge doit être renseignée</message>",
            )
        } else if s.warn_all {
            (
                "WARNING",
                "<champ>rep_horaire</champ><message>Horaire inhabituel</message>",
            )
        } else {
            ("OK", "")
        };
        answer += &format!(
            "<Representation><numero>{}</numero><statut>{statut}</statut>{extra}</Representation>",
            i + 1
        );
    }
    answer += "</Representations></Declaration>";
    answer
}

async fn logout() -> &'static str {
    "{}"
}
