//! Replay server: a local HTTP server that answers like a vendor API from scripted fixtures.
//!
//! Bound to `127.0.0.1:0`, it serves [`Route`]s: a method, a path, required query parameters,
//! form fields and headers, and a sequence of [`Reply`]s (the last one repeats), so a test can
//! script "401", "429 with `Retry-After` then 200" or "500 then 200". Every request is recorded
//! for assertions (auth present, paging parameters). A request whose required header is
//! missing or wrong gets a 401, like the vendor would answer; a request no route matches gets
//! a 404 that names the request.
//!
//! It is runtime code, not test-only: `releve demo` starts one per vendor folder of
//! `fixtures/demo-vendors/` ([`ReplayServer::from_dir`]) and points the collectors'
//! `base_url` at it, so the demo runs through the real vendor collectors while offline.
//! Bodies may contain `{{base_url}}`, replaced by the server's address (absolute paging links).

pub mod demo;
mod fixture;
mod http;
mod script;

pub use fixture::ReplayError;
pub use script::{RecordedRequest, Reply, Route, Script};

use script::State;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct ReplayServer {
    base_url: String,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl ReplayServer {
    /// Starts serving `script` on a free local port.
    pub async fn start(script: Script) -> std::io::Result<ReplayServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(Mutex::new(State::new(script, base_url.clone())));
        let task = tokio::spawn(http::serve(listener, state.clone()));
        Ok(ReplayServer {
            base_url,
            state,
            task,
        })
    }

    /// Starts a server for a fixture folder holding `routes.json` and the body files it names.
    pub async fn from_dir(dir: &std::path::Path) -> Result<ReplayServer, ReplayError> {
        let script = fixture::load(dir)?;
        ReplayServer::start(script)
            .await
            .map_err(|e| ReplayError::Bind(e.to_string()))
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().expect("replay lock").requests.clone()
    }

    /// Requests on `path` only.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Requests no route matched (a test usually asserts there are none).
    pub fn unmatched(&self) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.route.is_none())
            .collect()
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests;
