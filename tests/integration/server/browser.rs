//! Real-browser tests of the workspace: headless Chromium driven over WebDriver (chromedriver,
//! started by the test on a free port) with `fantoccini`. Each main page is screenshotted into
//! `target/tmp/screenshots/` and checked with axe-core (its `axe.min.js` injected into the page):
//! no violation of impact « serious » or « critical » is accepted.
//!
//! Needs `chromium`, `chromedriver` and axe-core (`npm install --prefix .ci/node axe-core`, or
//! `RELEVE_AXE_JS=/path/to/axe.min.js`). When one is missing the test says so and skips, unless
//! `RELEVE_REQUIRE_BROWSER=1` (CI), when it fails.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// A chromedriver process and a browser session on it; the process ends with the value.
pub struct Chromium {
    pub client: Client,
    axe: String,
    shots: PathBuf,
    _driver: Driver,
}

/// The chromedriver process, ended when the test is over (even when it fails).
struct Driver(std::process::Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn axe_path() -> PathBuf {
    std::env::var_os("RELEVE_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node/node_modules/axe-core/axe.min.js")
        })
}

/// Skips (returns `None`, saying why) when the browser tooling is missing, unless
/// `RELEVE_REQUIRE_BROWSER=1`.
pub async fn start() -> Option<Chromium> {
    let required = std::env::var("RELEVE_REQUIRE_BROWSER").as_deref() == Ok("1");
    let missing = |what: &str| {
        if required {
            panic!("RELEVE_REQUIRE_BROWSER=1 but {what}");
        }
        eprintln!(
            "SKIP real-browser test: {what} (set RELEVE_REQUIRE_BROWSER=1 to make this an error)"
        );
        None::<Chromium>
    };
    let Some(chromium) = find_program(&["chromium", "chromium-browser", "google-chrome"]) else {
        return missing("chromium is not installed (apt-get install -y chromium)");
    };
    let Some(driver) = find_program(&["chromedriver"]) else {
        return missing("chromedriver is not installed (apt-get install -y chromium-driver)");
    };
    let axe = match std::fs::read_to_string(axe_path()) {
        Ok(text) => text,
        Err(_) => {
            return missing(&format!(
                "axe-core is not installed at {} (npm install --prefix .ci/node axe-core)",
                axe_path().display()
            ))
        }
    };
    // A free port: bind port 0, read it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    // chromedriver says on stdout when it accepts connections; a thread reads it (and keeps
    // reading, so that it never blocks on a full pipe).
    let stdout = child.stdout.take().unwrap();
    let driver_process = Driver(child);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut ready = Some(ready_tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.contains("started successfully") {
                if let Some(tx) = ready.take() {
                    let _ = tx.send(());
                }
            }
        }
    });
    assert!(
        matches!(
            tokio::time::timeout(Duration::from_secs(30), ready_rx).await,
            Ok(Ok(()))
        ),
        "chromedriver did not start"
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600", "--lang=fr-FR", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update"],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    Some(Chromium {
        client,
        axe,
        shots,
        _driver: driver_process,
    })
}

impl Chromium {
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("page loads");
    }

    /// The element with this exact visible text (a button, a link, a heading…).
    pub async fn by_text(&self, tag: &str, text: &str) -> fantoccini::elements::Element {
        let xpath = format!("//{tag}[normalize-space(.)='{text}']");
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no <{tag}> « {text} »: {e}"))
    }

    /// The element whose visible text starts with `prefix`.
    pub async fn by_prefix(&self, tag: &str, prefix: &str) -> fantoccini::elements::Element {
        let xpath = format!("//{tag}[starts-with(normalize-space(.), '{prefix}')]");
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no <{tag}> starting « {prefix} »: {e}"))
    }

    /// Downloads `href` with the page's session (what a click on the link fetches); returns
    /// the content type and the first bytes.
    pub async fn download(&self, href: &str) -> (String, String) {
        let script = r#"
            const [href, done] = [arguments[0], arguments[arguments.length - 1]];
            fetch(href, { credentials: 'same-origin' })
              .then(r => r.arrayBuffer().then(b => done([r.headers.get('content-type') || '',
                  String.fromCharCode(...new Uint8Array(b.slice(0, 5)))])))
              .catch(e => done(['error', String(e)]));
        "#;
        let result = self
            .client
            .execute_async(script, vec![serde_json::json!(href)])
            .await
            .expect("download runs");
        (
            result[0].as_str().unwrap_or_default().to_string(),
            result[1].as_str().unwrap_or_default().to_string(),
        )
    }

    /// The form field whose label has this exact text.
    pub async fn field(&self, label: &str) -> fantoccini::elements::Element {
        let label_el = self.by_text("label", label).await;
        let id = label_el.attr("for").await.unwrap().expect("label for=");
        self.client.find(Locator::Id(&id)).await.unwrap()
    }

    /// The page's HTML as the browser holds it now.
    pub async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    pub async fn title(&self) -> String {
        self.client.title().await.unwrap()
    }

    /// Saves a screenshot of the page as `<name>.png`; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
        path
    }

    /// Runs axe-core in the page; returns the serious and critical violations, described.
    pub async fn serious_violations(&self) -> Vec<String> {
        self.client
            .execute(&format!("{}\n;return true;", self.axe), vec![])
            .await
            .expect("axe-core loads");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { iframes: false, resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
              .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }]));
        "#;
        let result = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe-core runs");
        result
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")))
            .map(|v| {
                format!(
                    "{} ({}): {} — {}",
                    v["id"], v["impact"], v["help"], v["targets"]
                )
            })
            .collect()
    }

    /// Screenshot and accessibility check of the current page.
    pub async fn check_page(&self, name: &str) {
        self.screenshot(name).await;
        let violations = self.serious_violations().await;
        assert!(
            violations.is_empty(),
            "page {name} ({}): serious accessibility violations:\n{}",
            self.title().await,
            violations.join("\n")
        );
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
