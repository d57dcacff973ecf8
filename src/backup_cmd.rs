//! `releve backup` and `releve restore` (`formats.md` §1).
//!
//! SQLite: the backup is an online, consistent copy of the database file (runs may go on
//! meanwhile); the restore checks the copy (integrity, a releve schema), refuses while a job
//! is running, keeps the current database aside (`<file>.avant-restauration-<instant>`), puts
//! the copy in place and brings its schema up to date. PostgreSQL: releve prints the `pg_dump`
//! / `pg_restore` procedure. The key file and the output folder are not in the database: they
//! are backed up separately (README, "Sauvegarde").

use crate::config::Config;
use crate::status::Status;
use anyhow::{bail, Context, Result};
use releve_domain::{Clock, SystemClock, PARIS};
use releve_store::backup::{inspect_sqlite_copy, sqlite_file, Contents};
use releve_store::{JobState, Store};
use std::io::Write;
use std::path::Path;

pub async fn backup(config: &Path, to: &Path, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(config)?;
    let Some(_) = sqlite_file(&config.database_url) else {
        print_postgres_procedure(&config.database_url, to, out)?;
        return Ok(Status::NeedsAttention);
    };
    if to.exists() {
        bail!(
            "--to : « {} » existe déjà ; choisissez un nouveau nom (une sauvegarde n'en écrase jamais une autre)",
            to.display()
        );
    }
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("impossible de créer le dossier {}", parent.display()))?;
    }
    let store = Store::connect(&config.database_url).await?;
    store.copy_sqlite_to(to).await.with_context(|| {
        format!(
            "impossible d'écrire la sauvegarde {} (place disque, droits du dossier ?)",
            to.display()
        )
    })?;
    store.close().await;
    // Read back: a backup nobody can restore is not one.
    let contents = inspect_sqlite_copy(to).await?;
    writeln!(out, "Sauvegarde écrite : {}", to.display())?;
    describe(out, &contents, to)?;
    writeln!(
        out,
        "Sauvegardez aussi, à part, le fichier de clé et le dossier des fichiers produits (--out)."
    )?;
    Ok(Status::Success)
}

pub async fn restore(config: &Path, from: &Path, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(config)?;
    let Some(database) = sqlite_file(&config.database_url) else {
        print_postgres_procedure(&config.database_url, from, out)?;
        return Ok(Status::NeedsAttention);
    };
    let contents = inspect_sqlite_copy(from).await?;
    let now = SystemClock.now();
    let aside =
        if database.exists() {
            let store = Store::connect(&config.database_url).await?;
            let running: Vec<_> = store
                .jobs(None, None)
                .await?
                .into_iter()
                .filter(|j| j.state == JobState::Running && j.lease_until.is_some_and(|l| l >= now))
                .collect();
            if let Some(job) = running.first() {
                bail!(
                "restauration refusée : le relevé de {} ({}) est en cours ({}) ; attendez sa fin \
                 et arrêtez cron et `releve serve` avant de restaurer",
                job.org,
                job.month,
                job.worker.as_ref().map(|w| w.describe()).unwrap_or_default()
            );
            }
            let stamp = now.with_timezone(&PARIS).format("%Y%m%dT%H%M%S");
            let aside = database.with_file_name(format!(
                "{}.avant-restauration-{stamp}",
                database.file_name().unwrap_or_default().to_string_lossy()
            ));
            store.copy_sqlite_to(&aside).await.with_context(|| {
                format!(
                    "impossible de mettre la base actuelle de côté dans {}",
                    aside.display()
                )
            })?;
            store.checkpoint_sqlite().await?;
            store.close().await;
            Some(aside)
        } else {
            None
        };
    put_in_place(from, &database)?;
    // Opening migrates a copy made by an older version; the chain is checked at once.
    let store = Store::connect(&config.database_url).await?;
    let mut status = Status::Success;
    let mut broken = Vec::new();
    for org in &config.organisations {
        let report = store.verify_audit_chain(&org.organisation.slug).await?;
        if report.broken.is_some() {
            broken.push(org.organisation.name.clone());
            status = Status::NeedsAttention;
        }
    }
    store.close().await;
    writeln!(
        out,
        "Base restaurée depuis {} : {}",
        from.display(),
        database.display()
    )?;
    describe(out, &contents, from)?;
    if let Some(aside) = aside {
        writeln!(
            out,
            "L'ancienne base est conservée dans {} (supprimez-la quand tout est vérifié).",
            aside.display()
        )?;
    }
    if !broken.is_empty() {
        writeln!(
            out,
            "Attention : la chaîne du journal d'audit est rompue pour {} (voir `releve audit verify`).",
            broken.join(", ")
        )?;
    }
    writeln!(
        out,
        "Relancez `releve run` pour les mois à refaire : les fichiers produits ne sont pas dans la base."
    )?;
    Ok(status)
}

/// Copies the backup next to the database and renames it over it; the old database's WAL and
/// shared-memory files go (they belong to the file moved aside, and a stale WAL would be
/// replayed into the restored one).
fn put_in_place(from: &Path, database: &Path) -> Result<()> {
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("impossible de créer le dossier {}", parent.display()))?;
    }
    let name = database.file_name().unwrap_or_default().to_string_lossy();
    let temporary = database.with_file_name(format!(".{name}.restauration.tmp"));
    let copied = std::fs::copy(from, &temporary)
        .and_then(|_| std::fs::File::open(&temporary)?.sync_all())
        .with_context(|| {
            format!(
                "impossible de copier {} vers {}",
                from.display(),
                temporary.display()
            )
        });
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    for suffix in ["-wal", "-shm"] {
        let side = database.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            std::fs::remove_file(&side)
                .with_context(|| format!("impossible de retirer {}", side.display()))?;
        }
    }
    std::fs::rename(&temporary, database)
        .with_context(|| format!("impossible de remplacer {}", database.display()))
}

fn describe(out: &mut dyn Write, c: &Contents, path: &Path) -> Result<()> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    writeln!(
        out,
        "  {} organisation(s), {} billet(s), {} version(s) de déclaration, {} entrée(s) du journal d'audit ; {} Ko, intégrité vérifiée",
        c.organisations,
        c.tickets,
        c.declaration_versions,
        c.audit_entries,
        size.div_ceil(1024)
    )?;
    Ok(())
}

fn print_postgres_procedure(url: &str, path: &Path, out: &mut dyn Write) -> Result<()> {
    let shown = mask_password(url);
    let file = path.display();
    writeln!(
        out,
        "La base est sur PostgreSQL : releve ne la copie pas lui-même, utilisez les outils de \
         PostgreSQL (mot de passe dans PGPASSWORD ou ~/.pgpass, jamais sur la ligne de commande)."
    )?;
    writeln!(out, "  Sauvegarde (cohérente même pendant un relevé) :")?;
    writeln!(
        out,
        "    pg_dump --format=custom --no-owner --file '{file}' '{shown}'"
    )?;
    writeln!(
        out,
        "  Restauration (arrêtez cron et `releve serve` d'abord) :"
    )?;
    writeln!(
        out,
        "    pg_restore --clean --if-exists --no-owner --single-transaction --dbname '{shown}' '{file}'"
    )?;
    writeln!(
        out,
        "  Puis : releve audit verify --config FICHIER. Sauvegardez aussi le fichier de clé et le dossier des fichiers produits."
    )?;
    Ok(())
}

/// `postgres://user:***@host/db`.
fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}
