//! `releve demo`: the main job on the embedded default. The bundled demo season (a fictional
//! scène conventionnée, `fixtures/demo/`, compiled into the binary) is written to a throw-away
//! folder, read through the same collectors as real data into a throw-away SQLite database, and
//! November 2025 is declared into `--out`. With `--keep DIR` the folder (configuration, data
//! and database) is `DIR` and stays, to try the approval workflow on it.

use crate::config::Config;
use crate::import::ImportContext;
use crate::run::{run_monthly, RunOptions};
use crate::status::Status;
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use releve_collectors::api::EnvLookup;
use releve_collectors::http::TokioSleeper;
use releve_collectors::replay::demo::{demo_env, start_demo_vendors, DemoVendor};
use releve_domain::PARIS;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

const CONFIG: &str = include_str!("../fixtures/demo/releve.toml");
const TICKETS: &str = include_str!("../fixtures/demo/tickets.csv");
const PROGRAMME: &str = include_str!("../fixtures/demo/programme.csv");
/// Programme rows of the performances sold through the demo vendor replay servers.
const PROGRAMME_VENDORS: &str = include_str!("../fixtures/demo/programme-vendors.csv");

/// Recorded answers of the company register (number, body as received), put into the demo's
/// cache; the demo reads the register from that cache only, never from the network.
const REGISTER_ANSWERS: [(&str, &str); 2] = [
    (
        "78412953800020",
        include_str!("../fixtures/demo-registry/78412953800020.json"),
    ),
    (
        "44802196400169",
        include_str!("../fixtures/demo-registry/44802196400169.json"),
    ),
];
/// When those answers were recorded (Paris, 1 December 2025 at 09:00).
const REGISTER_RECORDED_AT: &str = "2025-12-01T09:00:00+01:00";

/// The demo replays a past month: its documents are dated as if produced on 5 December 2025,
/// which keeps the demo outputs identical from one run to the next.
pub const DEMO_MONTH: &str = "2025-11";
pub const DEMO_GENERATED_AT: &str = "2025-12-05T09:00:00+01:00";

/// The second demo organisation, whose ticketing is read from Billetweb and HelloAsso replay
/// servers (local, offline) through the real API collectors.
fn vendors_organisation(vendors: &[DemoVendor]) -> String {
    let mut toml = String::from(
        "\n[[organisation]]\nslug = \"theatre-des-digues\"\nname = \"Théâtre des Digues\"\n\
         siret = \"81234567600009\"\nlicence = \"PLATESV-D-2021-001234\"\nsubsidised = true\n\
         sacem_client_id = \"123456\"\nsacd_declarant_id = \"654321\"\n\
         address = \"2 quai des Digues\"\npostal_code = \"44000\"\ncity = \"Nantes\"\n",
    );
    for vendor in vendors {
        toml.push_str(&format!(
            "\n  [[organisation.source]]\n  kind = \"{}\"\n  base_url = \"{}\"\n  credentials_env = \"{}\"\n",
            vendor.spec.kind.code(),
            vendor.spec.base_url.as_deref().unwrap_or_default(),
            vendor.spec.credentials_env.as_deref().unwrap_or_default(),
        ));
    }
    toml.push_str("\n  [[organisation.source]]\n  kind = \"programme_csv\"\n  path = \"programme-vendors.csv\"\n");
    toml
}

/// The demo user printed by `releve demo --serve`.
pub const DEMO_USER: &str = "demo@releve.test";

/// `keep`: a folder where the demo's configuration, data and SQLite database stay after the
/// run, so that `releve approve`, `submitted` and `versions` can be tried on them. `serve`: the
/// address of the workspace to open on the demo database afterwards.
pub async fn run_demo(
    out_dir: &Path,
    with_vendors: bool,
    keep: Option<&Path>,
    serve: Option<&str>,
    out: &mut dyn Write,
) -> Result<Status> {
    let scratch = tempfile::Builder::new()
        .prefix("releve-demo-")
        .tempdir()
        .context("impossible de créer un dossier temporaire pour la démonstration")?;
    let kept = match keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("impossible de créer le dossier {}", dir.display()))?;
            Some(std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()))
        }
        None => None,
    };
    let folder = kept.as_deref().unwrap_or(scratch.path());
    // The replay servers live as long as this function: they serve the run below.
    let vendors = if with_vendors {
        start_demo_vendors()
            .await
            .map_err(|e| anyhow::anyhow!("serveurs de démonstration : {e}"))?
    } else {
        Vec::new()
    };
    let mut config = CONFIG.to_string();
    if with_vendors {
        config.push_str(&vendors_organisation(&vendors));
    }
    for (name, content) in [
        ("releve.toml", config.as_str()),
        ("tickets.csv", TICKETS),
        ("programme.csv", PROGRAMME),
        ("programme-vendors.csv", PROGRAMME_VENDORS),
    ] {
        std::fs::write(folder.join(name), content)
            .with_context(|| format!("impossible d'écrire {}", folder.join(name).display()))?;
    }
    let mut config = Config::load(&folder.join("releve.toml"))?;
    config.registry.enabled = true;
    config.registry.offline = true;
    seed_register(&config.database_url).await?;
    writeln!(
        out,
        "Démonstration releve : saison fictive, base SQLite {}, mois de {}.",
        if kept.is_some() {
            "conservée"
        } else {
            "jetable"
        },
        DEMO_MONTH
    )?;
    let generated_at: DateTime<Utc> = DateTime::parse_from_rfc3339(DEMO_GENERATED_AT)
        .expect("valid constant")
        .with_timezone(&Utc);
    let env: Arc<dyn EnvLookup> = Arc::new(demo_env());
    let options = RunOptions {
        config,
        month: Some(DEMO_MONTH.parse().expect("valid constant")),
        org: None,
        out: out_dir.to_path_buf(),
        generated_at,
        import: ImportContext {
            env,
            sleeper: Arc::new(TokioSleeper),
            now: generated_at,
            progress: true,
            key_file: None,
        },
    };
    let status = run_monthly(&options, out).await?;
    writeln!(
        out,
        "Ouvrez {} pour le rapport du mois.",
        report_path(out_dir, &options).display()
    )?;
    if status == Status::NeedsAttention {
        // Exit status 1 is "finished, something needs a person" (formats.md §1): here, on purpose.
        writeln!(
            out,
            "La démonstration se termine avec le statut 1, voulu : le relevé est daté du {}, et les \
             représentations du début du mois arrivent au bout des 30 jours de la SACD (voir « SACD » \
             ci-dessus). Rien n'est en panne : c'est ce que releve signale à un administrateur.",
            releve_declarations::render::fr::long_date(generated_at.with_timezone(&PARIS).date_naive())
        )?;
    }
    if let Some(dir) = &kept {
        let config = dir.join("releve.toml");
        writeln!(
            out,
            "Base de démonstration conservée dans {} : essayez par exemple\n  \
             releve versions --config {c} --month {DEMO_MONTH}\n  \
             releve approve --config {c} --month {DEMO_MONTH} --body cnm --by \"Votre nom, fonction\"",
            dir.display(),
            c = config.display()
        )?;
    }
    match serve {
        None => Ok(status),
        Some(listen) => serve_demo(options.config, listen, out_dir, out).await,
    }
}

/// Opens the workspace on the demo database (kept while it serves) with a demo user who holds
/// every role in every demo organisation.
async fn serve_demo(
    config: Config,
    listen: &str,
    out_dir: &Path,
    out: &mut dyn Write,
) -> Result<Status> {
    use crate::server::access::Role;
    let store = releve_store::Store::connect(&config.database_url).await?;
    let password = crate::server::secrets::new_password()?;
    for org in &config.organisations {
        for role in Role::ALL {
            let grant = crate::accounts_cmd::Grant::Role {
                org: &org.organisation.slug,
                role,
            };
            crate::accounts_cmd::add_user(&store, DEMO_USER, &password, &grant).await?;
        }
    }
    store.close().await;
    // The workspace's downloads are the files the demo run just wrote.
    let app = crate::server::Application::build_with_output(
        config,
        listen,
        std::sync::Arc::new(releve_domain::SystemClock),
        Some(std::path::absolute(out_dir)?),
    )
    .await?;
    writeln!(out, "listening on http://{}", app.address())?;
    writeln!(
        out,
        "Espace de travail de démonstration : http://{} — utilisateur {DEMO_USER}, mot de passe {password} (Ctrl-C pour arrêter).",
        app.address()
    )?;
    out.flush()?;
    app.run_until_stopped(crate::server::shutdown_signal())
        .await?;
    Ok(Status::Success)
}

fn report_path(out_dir: &Path, options: &RunOptions) -> std::path::PathBuf {
    let slug = options
        .config
        .organisations
        .first()
        .map(|o| o.organisation.slug.as_str())
        .unwrap_or("");
    out_dir.join(slug).join(DEMO_MONTH).join("report.html")
}

/// Puts the recorded register answers into the demo database's cache.
async fn seed_register(database_url: &str) -> Result<()> {
    let store = releve_store::Store::connect(database_url).await?;
    let fetched_at = DateTime::parse_from_rfc3339(REGISTER_RECORDED_AT)
        .expect("valid constant")
        .with_timezone(&Utc);
    for (number, body) in REGISTER_ANSWERS {
        store
            .save_registry_answer(&releve_store::RegistryAnswer {
                number: number.to_string(),
                request: format!("GET https://recherche-entreprises.api.gouv.fr/search?q={number}"),
                body: body.to_string(),
                sha256: crate::lifecycle::sha256_hex(body.as_bytes()),
                fetched_at,
            })
            .await?;
    }
    store.close().await;
    Ok(())
}
