//! `releve audit verify`: walks the hash chain of each organisation's audit log and prints, in
//! French, either that it holds or the first broken link (exit status 1).

use crate::config::Config;
use crate::status::Status;
use anyhow::Result;
use releve_domain::PARIS;
use releve_store::Store;
use std::io::Write;
use std::path::Path;

pub async fn verify(config: &Path, org: Option<&str>, out: &mut dyn Write) -> Result<Status> {
    let config = Config::load(config)?;
    let selected = config.select(org)?;
    let store = Store::connect(&config.database_url).await?;
    let mut status = Status::Success;
    for org in selected {
        let slug = &org.organisation.slug;
        let report = store.verify_audit_chain(slug).await?;
        let unchained = match report.unchained {
            0 => String::new(),
            n => format!(" ({n} entrée(s) antérieure(s) au chaînage, sans empreinte)"),
        };
        match &report.broken {
            None => writeln!(
                out,
                "{} — journal d'audit : {} entrée(s), chaîne intacte{unchained}.",
                org.organisation.name, report.entries
            )?,
            Some(link) => {
                status = Status::NeedsAttention;
                let when = chrono::DateTime::from_timestamp(link.at, 0)
                    .map(|t| {
                        t.with_timezone(&PARIS)
                            .format(" du %d/%m/%Y à %H:%M:%S")
                            .to_string()
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{} — journal d'audit : CHAÎNE ROMPUE à l'entrée n° {} ({}{when}) : {}. \
                     Les entrées suivantes ne sont plus garanties ; comparez avec une sauvegarde.",
                    org.organisation.name, link.id, link.action, link.reason
                )?
            }
        }
    }
    store.close().await;
    Ok(status)
}
