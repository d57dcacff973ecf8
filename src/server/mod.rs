//! `releve serve`: the review workspace (French HTML pages) and the JSON API of formats.md §6
//! on one port.
//!
//! Layout (architecture.md §2, "Where the server wave goes"):
//! - this module: [`AppState`] (configuration, store, injected clock, templates) and
//!   [`Application`], which binds the port (`127.0.0.1:0` picks a free one) and serves until a
//!   shutdown signal;
//! - `access.rs`: the only place that decides who may see or do what (session or token →
//!   organisation / funder / Ministry, role, scope); `extract.rs` turns a request into a caller;
//! - `pages/`: the workspace, one module per page; `api/`: the JSON API, one module per area;
//! - `error.rs`: the error answers (JSON for the API, HTML for the workspace);
//! - `secrets.rs`: password hashing and random tokens; `throttle.rs`: sign-in throttling.
//!
//! Handlers parse, ask `access` for the organisation, call one library function, render.
//!
//! To add a page: a module in `pages/` with its handler(s), a template in `templates/server/`
//! registered in [`templates`], a route in `pages::router`; the handler takes a
//! [`extract::SignedIn`] and calls `access::organisation(…, Action::…)` before reading anything.
//! To add an API route: the same in `api/`, with [`extract::ApiCaller`].

pub mod access;
pub mod api;
pub mod cookies;
pub mod error;
pub mod extract;
pub mod outputs;
pub mod pages;
pub mod runs;
pub mod schedule;
pub mod schedule_sacd;
pub mod secrets;
pub mod templates;
pub mod throttle;
pub mod worker;

use crate::config::Config;
use anyhow::{Context, Result};
use axum::Router;
use chrono::{DateTime, Utc};
use releve_domain::{Clock, SystemClock};
use releve_store::Store;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    store: Store,
    clock: Arc<dyn Clock>,
    templates: tera::Tera,
    throttle: throttle::Throttle,
    /// The output folder of the runs (`OUT` of formats.md §5), when `serve` was given one:
    /// downloads serve its files (checked against the version's recorded SHA-256).
    output: Option<PathBuf>,
}

impl AppState {
    pub fn new(config: Config, store: Store, clock: Arc<dyn Clock>) -> Result<AppState> {
        AppState::with_output(config, store, clock, None)
    }

    /// [`AppState::new`] with the runs' output folder, whose files the workspace serves.
    pub fn with_output(
        config: Config,
        store: Store,
        clock: Arc<dyn Clock>,
        output: Option<PathBuf>,
    ) -> Result<AppState> {
        Ok(AppState(Arc::new(Inner {
            config,
            store,
            clock,
            templates: templates::load()?,
            throttle: throttle::Throttle::default(),
            output,
        })))
    }

    /// The runs' output folder, if the server has one.
    pub fn output(&self) -> Option<&Path> {
        self.0.output.as_deref()
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.0.clock.now()
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        self.0.clock.clone()
    }

    pub fn templates(&self) -> &tera::Tera {
        &self.0.templates
    }

    pub fn throttle(&self) -> &throttle::Throttle {
        &self.0.throttle
    }

    /// Whether session cookies carry `Secure` (the public address is https).
    pub fn secure_cookies(&self) -> bool {
        self.0.config.server.secure_cookies()
    }
}

/// Every route of the server: the workspace, its static files and the API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .nest(
            "/api/v1",
            api::router()
                .layer(axum::extract::DefaultBodyLimit::max(
                    api::protection::MAX_BODY,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    api::protection::protect,
                )),
        )
        .with_state(state)
}

/// The server, bound to its port but not yet serving.
pub struct Application {
    listener: tokio::net::TcpListener,
    address: SocketAddr,
    state: AppState,
}

impl Application {
    /// Opens the store (migrating it) and binds `listen` (`ADDR:PORT`; port 0 picks a free one).
    pub async fn build(config: Config, listen: &str, clock: Arc<dyn Clock>) -> Result<Application> {
        Application::build_with_output(config, listen, clock, None).await
    }

    /// [`Application::build`] with the runs' output folder (`serve --out`, `demo --serve`).
    pub async fn build_with_output(
        config: Config,
        listen: &str,
        clock: Arc<dyn Clock>,
        output: Option<PathBuf>,
    ) -> Result<Application> {
        let store = Store::connect(&config.database_url).await?;
        for org in &config.organisations {
            store.upsert_organisation(&org.organisation).await?;
        }
        let state = AppState::with_output(config, store, clock, output)?;
        Application::with_state(state, listen).await
    }

    /// Binds `listen` for an already built state (tests share a store this way).
    pub async fn with_state(state: AppState, listen: &str) -> Result<Application> {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| {
                format!("impossible d'écouter sur {listen} (adresse déjà utilisée ou invalide ?)")
            })?;
        let address = listener.local_addr()?;
        Ok(Application {
            listener,
            address,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let app = router(self.state.clone());
        // The queue worker lives as long as the server (runs asked over the API, jobs left by
        // a crashed worker).
        let queue_worker = worker::spawn(self.state.clone());
        let served = axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("le serveur s'est arrêté sur une erreur");
        queue_worker.abort();
        served
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing requests in flight");
}

/// `releve serve`: binds, prints `listening on http://ADDR:PORT` as the first line, serves
/// until SIGTERM.
pub async fn serve(
    config: Config,
    listen: Option<&str>,
    out: &mut dyn std::io::Write,
) -> Result<crate::Status> {
    serve_with_output(config, listen, None, out).await
}

/// [`serve`] with the runs' output folder (`releve serve --out DIR`): the workspace's
/// downloads are that folder's files.
pub async fn serve_with_output(
    config: Config,
    listen: Option<&str>,
    output: Option<PathBuf>,
    out: &mut dyn std::io::Write,
) -> Result<crate::Status> {
    let listen = listen
        .map(str::to_string)
        .unwrap_or_else(|| config.server.listen.clone());
    let app =
        Application::build_with_output(config, &listen, Arc::new(SystemClock), output).await?;
    writeln!(out, "listening on http://{}", app.address())?;
    out.flush()?;
    // The submission outbox is worked beside the server, with the approved files read from
    // the server's output folder (`--out`, else `out/` beside the configuration, where the
    // server's own runs write); the task ends with the process.
    let state = app.state();
    let outbox = tokio::spawn(crate::submit::worker::run(
        state.config().clone(),
        state.store().clone(),
        state.clock(),
        runs::output_dir(state),
    ));
    // The monthly schedule, when configured (`[schedule]`).
    tokio::spawn(schedule::run_forever(app.state().clone()));
    app.run_until_stopped(shutdown_signal()).await?;
    outbox.abort();
    Ok(crate::Status::Success)
}
