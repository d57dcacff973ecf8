//! A workspace server for tests: a configuration with two organisations in a temporary folder,
//! a fresh SQLite database, the application bound to 127.0.0.1:0 in this process, and a small
//! HTTP client that keeps cookies by hand (so tests see exactly what a browser is sent).
//! `RELEVE_TEST_DATABASE=postgres` is not needed: PostgreSQL variants build their own config.

use releve::config::Config;
use releve::server::access::Role;
use releve::server::{AppState, Application};
use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::path::PathBuf;
use std::sync::Arc;

pub const VENUE: &str = "theatre-des-digues";
pub const OTHER: &str = "compagnie-du-large";

/// The standard two-organisation configuration; `extra_root` goes before the organisations,
/// `extra_venue` into the first organisation's keys.
pub fn config_text(database_url: &str, extra_root: &str, extra_venue: &str) -> String {
    format!(
        r#"[database]
url = "{database_url}"
[registry]
enabled = false
{extra_root}
[[organisation]]
slug = "{VENUE}"
name = "Théâtre des Digues"
siret = "81234567600009"
subsidised = true
{extra_venue}
  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

[[organisation]]
slug = "{OTHER}"
name = "Compagnie du Large"
siret = "73282932000074"
subsidised = false

  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets-large.csv"
"#
    )
}

/// What [`TestServer::start_setup`] builds beyond the defaults.
#[derive(Default)]
pub struct Setup<'a> {
    pub extra_root: &'a str,
    pub extra_venue: &'a str,
    pub files: &'a [(&'a str, &'a str)],
    /// The server's clock (default: the system's).
    pub clock: Option<Arc<dyn releve_domain::Clock>>,
    /// The company register's address: turns `[registry]` on.
    pub registry_url: Option<&'a str>,
    /// The runs' output folder inside the scenario folder (as `serve --out`; default `out`).
    pub out_folder: Option<&'a str>,
}

/// `dir` (the scenario folder) and `config_path` are for tests that write source files or run
/// the binary on the same configuration.
#[allow(dead_code)]
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with("", "").await
    }

    pub async fn start_with(extra_root: &str, extra_venue: &str) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("releve.db");
        let text = config_text(
            &format!("sqlite://{}", db.display()),
            extra_root,
            extra_venue,
        );
        let config_path = dir.path().join("releve.toml");
        std::fs::write(&config_path, text).expect("write config");
        let config = Config::load(&config_path).expect("valid test config");
        let app = Application::build(config, "127.0.0.1:0", Arc::new(releve_domain::SystemClock))
            .await
            .expect("server starts");
        let url = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            app.run_until_stopped(async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        TestServer {
            url,
            state,
            dir,
            config_path,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// [`TestServer::start_with`], the server given `dir/out` as the runs' output folder (as
    /// `releve serve --out` does), with `files` written into the scenario folder first.
    pub async fn start_serving_outputs(
        extra_root: &str,
        extra_venue: &str,
        files: &[(&str, &str)],
    ) -> TestServer {
        TestServer::start_setup(Setup {
            extra_root,
            extra_venue,
            files,
            ..Setup::default()
        })
        .await
    }

    /// [`TestServer::start_serving_outputs`] with a chosen clock and, optionally, the company
    /// register turned on at a local address.
    pub async fn start_setup(setup: Setup<'_>) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, content) in setup.files {
            std::fs::write(dir.path().join(name), content).expect("write scenario file");
        }
        let db = dir.path().join("releve.db");
        let mut text = config_text(
            &format!("sqlite://{}", db.display()),
            setup.extra_root,
            setup.extra_venue,
        );
        if let Some(url) = setup.registry_url {
            text = text.replacen(
                "[registry]\nenabled = false",
                &format!("[registry]\nbase_url = \"{url}\"\nenabled = true"),
                1,
            );
        }
        let config_path = dir.path().join("releve.toml");
        std::fs::write(&config_path, text).expect("write config");
        let config = Config::load(&config_path).expect("valid test config");
        let clock = setup
            .clock
            .unwrap_or_else(|| Arc::new(releve_domain::SystemClock));
        let app = Application::build_with_output(
            config,
            "127.0.0.1:0",
            clock,
            Some(dir.path().join(setup.out_folder.unwrap_or("out"))),
        )
        .await
        .expect("server starts");
        let url = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            app.run_until_stopped(async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        TestServer {
            url,
            state,
            dir,
            config_path,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The output folder the server serves (`dir/out`).
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Runs a month for the first organisation, as `releve run --org VENUE --out dir/out`
    /// (the same library call), with a fixed generation time; returns the exit status code.
    pub async fn run_month(&self, month: &str) -> u8 {
        let options = releve::run::RunOptions::from_cli(
            &self.config_path,
            Some(month.to_string()),
            Some(VENUE.to_string()),
            self.out(),
            Some("2025-12-05T09:00:00+01:00".to_string()),
        )
        .expect("run options");
        let mut summary = Vec::new();
        let status = releve::run::run_monthly(&options, &mut summary)
            .await
            .expect("the month runs");
        status.code()
    }

    /// Stops the server and waits for it (requests in flight finish first).
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task");
        }
    }

    /// A user with one role (created with a known password); returns the password.
    pub async fn user(&self, email: &str, org: &str, role: Role) -> String {
        let password = "mot de passe de test".to_string();
        releve::accounts_cmd::add_user(
            self.state.store(),
            email,
            &password,
            &releve::accounts_cmd::Grant::Role { org, role },
        )
        .await
        .expect("user created");
        password
    }

    /// An API token stored directly (as `releve token create` does); returns its value.
    pub async fn token(
        &self,
        name: &str,
        scope: &str,
        org: Option<&str>,
        funder: Option<&str>,
    ) -> String {
        let token = releve::server::secrets::new_api_token().unwrap();
        let created = self
            .state
            .store()
            .create_api_token(
                name,
                &releve::server::secrets::token_hash(&token),
                scope,
                org,
                funder,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        assert!(created, "token name {name} already used");
        token
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// A browser-like client that is not signed in.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.url.clone(),
            client: Client::builder().redirect(Policy::none()).build().unwrap(),
            cookies: Vec::new(),
        }
    }

    /// A browser signed in as `email`.
    pub async fn signed_in(&self, email: &str, password: &str) -> Browser {
        let mut browser = self.browser();
        let response = browser.login(email, password).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {email}"
        );
        browser
    }
}

/// Keeps the cookies a server sets, like a browser (no domain or expiry logic: one host).
pub struct Browser {
    pub base: String,
    pub client: Client,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    fn remember(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            let deleted = text.contains("Max-Age=0");
            if !deleted {
                self.cookies.push((name.to_string(), value.to_string()));
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.remember(response.headers());
        response
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.remember(response.headers());
        response
    }

    /// The page's text and its CSRF token (the hidden `csrf` field of its first form).
    pub async fn page(&mut self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Response {
        let (_, html) = self.page("/connexion").await;
        let csrf = csrf_of(&html);
        self.post(
            "/connexion",
            &[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("suite", "/"),
            ],
        )
        .await
    }
}

/// The value of the first `name="csrf"` hidden field of a page.
pub fn csrf_of(html: &str) -> String {
    let start =
        html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

#[allow(dead_code)]
impl TestServer {
    /// Writes a source file into the scenario folder (beside the configuration).
    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir.path().join(name), content).expect("write source file");
    }

    /// Waits until job `id` of the queue is finished, and returns it. No fixed sleep: it
    /// yields to the runtime (the run works in a task of this same runtime) and gives up after
    /// 60 seconds.
    pub async fn finished_job(&self, id: i64) -> releve_store::Job {
        let wait = async {
            loop {
                let job = self
                    .state
                    .store()
                    .job(id)
                    .await
                    .unwrap()
                    .expect("job exists");
                if !job.state.is_active() {
                    return job;
                }
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(60), wait)
            .await
            .expect("the job finishes within 60 s")
    }
}
