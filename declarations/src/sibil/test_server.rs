//! A local SIBIL server for the client tests (127.0.0.1, port 0), implementing the contract
//! the client relies on (`client.rs` module doc): login, domains, venue types, search by
//! `idExtBilletterie`, create, update, the duplicate rule and token expiry. It speaks just
//! enough HTTP/1.1 for reqwest: one request per connection, `Connection: close`.

use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const USER: &str = "theatre-des-digues";
pub(crate) const PASSWORD: &str = "secret";

#[derive(Default)]
pub(crate) struct State {
    /// The token currently valid; `None` until a login.
    pub token: Option<String>,
    pub logins: u32,
    /// Expire the token after this many authenticated calls (simulates a session timeout).
    pub expire_after: Option<u32>,
    /// Refuse every authenticated call with 401 (an account without rights).
    pub always_unauthorized: bool,
    pub calls_with_token: u32,
    /// Stored declarations, as received plus `id` and `version`.
    pub declarations: Vec<Value>,
    /// `METHOD path` of every request, in order.
    pub log: Vec<String>,
    /// The bytes of every declaration created or updated, as received (to check numbers
    /// exactly: `body` went through serde_json's float parsing).
    pub raw_saves: Vec<String>,
}

pub(crate) struct Server {
    pub base_url: String,
    pub state: Arc<Mutex<State>>,
}

pub(crate) async fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = Arc::new(Mutex::new(State::default()));
    let shared = state.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let state = shared.clone();
            tokio::spawn(async move { serve(stream, state).await });
        }
    });
    Server {
        base_url: format!("http://{addr}"),
        state,
    }
}

struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    authorization: Option<String>,
    body: Value,
    raw: String,
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let (status, body) = handle(&request, &mut state.lock().unwrap());
    let text = body.to_string();
    let reason = match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        _ => "Not Found",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let mut length = 0usize;
    let mut authorization = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().ok()?,
                "authorization" => authorization = Some(value.trim().to_string()),
                _ => {}
            }
        }
    }
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let raw = String::from_utf8_lossy(&buffer[head_end..head_end + length]).to_string();
    let body = serde_json::from_str(&raw).unwrap_or(Value::Null);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    Some(Request {
        method,
        path: path.to_string(),
        query,
        authorization,
        body,
        raw,
    })
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).to_string()
}

fn problem(status: u16, error_key: &str, title: &str) -> (u16, Value) {
    (
        status,
        json!({
            "entityName": "declaration", "errorKey": error_key,
            "type": "http://www.jhipster.tech/problem/problem-with-message",
            "title": title, "status": status, "message": format!("error.{error_key}"),
            "params": "declaration"
        }),
    )
}

fn handle(r: &Request, s: &mut State) -> (u16, Value) {
    s.log.push(format!("{} {}", r.method, r.path));
    if r.method == "POST" && r.path == "/api/v2/authenticate" {
        if r.body["username"] == USER && r.body["password"] == PASSWORD {
            s.logins += 1;
            let token = format!("jeton-{}", s.logins);
            s.token = Some(token.clone());
            s.calls_with_token = 0;
            return (
                200,
                json!({"id_token": token, "typeError": "AUTHENTICATED", "versions": ["V2"]}),
            );
        }
        return (
            401,
            json!({"id_token": "", "typeError": "NOT AUTHENTICATED"}),
        );
    }
    let expected = s.token.as_ref().map(|t| format!("Bearer {t}"));
    let expired = s.expire_after.is_some_and(|n| s.calls_with_token >= n);
    if s.always_unauthorized || expected.is_none() || r.authorization != expected || expired {
        if expired {
            // The session is over: the next login gets a fresh token and a fresh budget.
            s.token = None;
            s.expire_after = None;
        }
        return problem(401, "unauthorized", "Full authentication is required");
    }
    s.calls_with_token += 1;
    match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/api/v2/domaine-representations") => (
            200,
            json!([
                {"id": 1, "libelle": "Théâtre", "libelleTri": "THEATRE", "actif": true},
                {"id": 7, "libelle": "Opéra/théâtre lyrique", "actif": true},
                {"id": 12, "libelle": "Danse de création", "actif": true},
                {"id": 30, "libelle": "Ancien domaine", "actif": false}
            ]),
        ),
        ("GET", "/api/v2/lieux/types") => (
            200,
            json!([
                {"code": "THEATRE", "value": "Théâtre"},
                {"code": "ESPACE_POLYVALENT", "value": "Espace polyvalent"},
                {"code": "AUTRE", "value": "Autre"}
            ]),
        ),
        ("GET", "/api/v2/declarations") => {
            let wanted = r
                .query
                .iter()
                .find(|(k, _)| k == "idExtBilletterie.equals")
                .map(|(_, v)| v.clone());
            let result: Vec<Value> = s
                .declarations
                .iter()
                .filter(|d| wanted.as_deref().is_none_or(|w| d["idExtBilletterie"] == w))
                .cloned()
                .collect();
            (
                200,
                json!({"hits": {"total": result.len(), "page": 0}, "result": result}),
            )
        }
        ("POST", "/api/v2/declarations") | ("PUT", "/api/v2/declarations") => save(r, s),
        _ => problem(404, "notFound", "Ressource inconnue"),
    }
}

fn save(r: &Request, s: &mut State) -> (u16, Value) {
    s.raw_saves.push(r.raw.clone());
    let d = &r.body;
    for (field, numeric) in [
        ("idExtBilletterie", false),
        ("dateHeureRepresentationUnique", false),
        ("domaineRepresentationId", true),
        ("recetteTotalBilletterie", true),
        ("prixMoyenTotalBilletterie", true),
    ] {
        let ok = if numeric {
            d[field].is_number()
        } else {
            d[field].is_string()
        };
        if !ok {
            return problem(400, "invalid", &format!("Champ {field} invalide"));
        }
    }
    if d["lieuChamps"]["typeLieu"].as_str().is_none() {
        return problem(400, "invalid", "Champ lieuChamps.typeLieu obligatoire");
    }
    let same_show = |o: &Value| {
        o["idExtBilletterie"] != d["idExtBilletterie"]
            && o["dateHeureRepresentationUnique"] == d["dateHeureRepresentationUnique"]
            && o["spectacleChamps"]["critere1"] == d["spectacleChamps"]["critere1"]
    };
    if s.declarations.iter().any(same_show) {
        return problem(
            400,
            "errorsDataSib",
            "Une déclaration existe déjà dans la base de données SIBIL avec les mêmes données saisies",
        );
    }
    let mut stored = d.clone();
    if r.method == "PUT" {
        let Some(position) = s.declarations.iter().position(|o| o["id"] == d["id"]) else {
            return problem(400, "idnull", "Déclaration inconnue");
        };
        if s.declarations[position]["version"] != d["version"] {
            return problem(400, "version", "Version périmée");
        }
        let version = d["version"].as_i64().unwrap_or(0) + 1;
        stored["version"] = json!(version);
        s.declarations[position] = stored.clone();
        return (200, stored);
    }
    if !d["id"].is_null() {
        return problem(
            400,
            "idexists",
            "Une nouvelle déclaration ne peut pas avoir d'id",
        );
    }
    let id = 123_456 + s.declarations.len() as i64;
    stored["id"] = json!(id);
    stored["version"] = json!(1);
    stored["statutDeclaration"] = d["statutDeclaration"].clone();
    s.declarations.push(stored.clone());
    (201, stored)
}
