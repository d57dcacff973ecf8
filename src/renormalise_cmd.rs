//! `releve renormalise`: the stored raw answers of the vendor APIs are read again into the
//! ledger, without calling any vendor — what a mapping correction needs.

use crate::config::Config;
use crate::import::renormalise_source;
use crate::status::Status;
use anyhow::{bail, Result};
use releve_store::Store;
use std::io::Write;
use std::path::Path;

pub async fn renormalise(
    config: &Path,
    org: Option<&str>,
    source: Option<&str>,
    out: &mut dyn Write,
) -> Result<Status> {
    let config = Config::load(config)?;
    let store = Store::connect(&config.database_url).await?;
    let mut found = false;
    let mut status = Status::Success;
    for o in config.select(org)? {
        let slug = &o.organisation.slug;
        let specs = o
            .sources
            .iter()
            .filter(|s| s.kind.is_api() && source.is_none_or(|k| k == s.key));
        for spec in specs {
            found = true;
            let assumed_vat = o.assumed_vat.get(&spec.key).copied();
            let counts = renormalise_source(&store, slug, spec, assumed_vat).await?;
            writeln!(
                out,
                "{slug} {} : {} représentations, {} billets relus, {} en quarantaine",
                spec.key, counts.performances, counts.tickets, counts.quarantined
            )?;
            if counts.quarantined > 0 {
                status = Status::NeedsAttention;
            }
        }
    }
    if !found {
        bail!("aucune source par API ne correspond dans la configuration (--source, --org)");
    }
    Ok(status)
}
