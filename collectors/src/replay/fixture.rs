//! Fixture folders: `routes.json` plus body files, for `releve demo` and tests.
//!
//! ```json
//! { "routes": [ { "method": "GET", "path": "/api/events", "query": { "past": "1" },
//!                 "headers": { "authorization": "Bearer demo" },
//!                 "replies": [ { "status": 200, "file": "events.json" } ] } ] }
//! ```

use super::script::{Reply, Route, Script};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("données de démonstration illisibles : {path} ({reason})")]
    Fixture { path: String, reason: String },
    #[error("impossible d'ouvrir le serveur de rejeu local : {0}")]
    Bind(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoutesFile {
    routes: Vec<RouteFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteFile {
    #[serde(default = "get")]
    method: String,
    path: String,
    #[serde(default)]
    query: BTreeMap<String, String>,
    #[serde(default)]
    form: BTreeMap<String, String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    replies: Vec<ReplyFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyFile {
    #[serde(default = "ok")]
    status: u16,
    file: Option<String>,
    body: Option<String>,
    content_type: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

fn get() -> String {
    "GET".into()
}

fn ok() -> u16 {
    200
}

fn fail(path: &Path, reason: String) -> ReplayError {
    ReplayError::Fixture {
        path: path.display().to_string(),
        reason,
    }
}

/// A fixture folder on disk.
pub(crate) fn load(dir: &Path) -> Result<Script, ReplayError> {
    load_with(dir, |p| {
        std::fs::read_to_string(p).map_err(|e| e.to_string())
    })
}

/// A fixture folder whose files are compiled in: `(file name, content)`.
pub(crate) fn load_embedded(name: &str, files: &[(&str, &str)]) -> Result<Script, ReplayError> {
    load_with(Path::new(name), |p| {
        let file = p.file_name().and_then(|f| f.to_str()).unwrap_or_default();
        files
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(_, c)| c.to_string())
            .ok_or_else(|| "fichier absent des données intégrées".to_string())
    })
}

fn load_with(
    dir: &Path,
    read: impl Fn(&Path) -> Result<String, String>,
) -> Result<Script, ReplayError> {
    let routes_path = dir.join("routes.json");
    let text = read(&routes_path).map_err(|e| fail(&routes_path, e))?;
    let file: RoutesFile =
        serde_json::from_str(&text).map_err(|e| fail(&routes_path, e.to_string()))?;
    let mut script = Script::new();
    for r in file.routes {
        let mut route = Route::new(&r.method, &r.path);
        for (k, v) in &r.query {
            route = route.query(k, v);
        }
        for (k, v) in &r.form {
            route = route.form(k, v);
        }
        for (k, v) in &r.headers {
            route = route.header(k, v);
        }
        for reply in r.replies {
            let body = match (&reply.file, reply.body) {
                (Some(f), _) => {
                    let p = dir.join(f);
                    read(&p).map_err(|e| fail(&p, e))?
                }
                (None, Some(b)) => b,
                (None, None) => String::new(),
            };
            let mut rep = Reply::json(reply.status, body);
            if let Some(ct) = reply.content_type {
                rep.content_type = ct;
            }
            for (k, v) in &reply.headers {
                rep = rep.header(k, v);
            }
            route = route.reply(rep);
        }
        script = script.route(route);
    }
    Ok(script)
}
