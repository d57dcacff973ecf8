//! Vendor replay servers for `releve demo`: the demo can read part of its season through the
//! real Billetweb and HelloAsso collectors, offline. The fixtures of `fixtures/demo-vendors/`
//! are compiled in, so the binary needs no file at run time.
//!
//! What the fixtures hold (Théâtre des Digues, November 2025), for the demo programme:
//! - Billetweb `61001` « Les Marées », single date, 21/11/2025 20:30, 5.5 % (performance
//!   `billetweb:61001-0`): 11 paid tickets, 206.80 € incl. VAT (web commission deducted),
//!   3 invitations, 1 refund;
//! - Billetweb `61002` « Nuit du jazz », sessions `880101` 28/11/2025 20:30 (8 paid, 192.66 €,
//!   two 20 % dinner-concert tickets, 1 invitation) and `880102` 30/11/2025 23:30 (4 paid,
//!   72.00 €, one unpaid reservation);
//! - HelloAsso `bal-folk-2025-11-15` « Bal folk des Digues », 15/11/2025 20:00, 5.5 %
//!   (performance `helloasso:bal-folk-2025-11-15`): 10 paid, 108.00 €, 2 free, 1 refund.

use super::fixture::load_embedded;
use super::{ReplayError, ReplayServer};
use crate::{SourceKind, SourceSpec};
use std::collections::BTreeMap;

const BILLETWEB: &[(&str, &str)] = &[
    (
        "attendees-changed.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/attendees-changed.json"),
    ),
    (
        "event-61001-attendees.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/event-61001-attendees.json"),
    ),
    (
        "event-61001-tickets.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/event-61001-tickets.json"),
    ),
    (
        "event-61002-attendees.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/event-61002-attendees.json"),
    ),
    (
        "event-61002-dates.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/event-61002-dates.json"),
    ),
    (
        "event-61002-tickets.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/event-61002-tickets.json"),
    ),
    (
        "events.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/events.json"),
    ),
    (
        "routes.json",
        include_str!("../../../fixtures/demo-vendors/billetweb/routes.json"),
    ),
];

const HELLOASSO: &[(&str, &str)] = &[
    (
        "form-public.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/form-public.json"),
    ),
    (
        "forms.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/forms.json"),
    ),
    (
        "items-page-1.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/items-page-1.json"),
    ),
    (
        "items-page-2.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/items-page-2.json"),
    ),
    (
        "orders.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/orders.json"),
    ),
    (
        "organizations.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/organizations.json"),
    ),
    (
        "routes.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/routes.json"),
    ),
    (
        "token.json",
        include_str!("../../../fixtures/demo-vendors/helloasso/token.json"),
    ),
];

/// One running fake vendor and the source that reads it.
pub struct DemoVendor {
    pub server: ReplayServer,
    /// `kind`, `base_url` pointing at the server, `credentials_env` = `DEMO_<KIND>`.
    pub spec: SourceSpec,
}

/// Credentials the demo servers accept (not secrets: they only open the local fixtures).
pub fn demo_env() -> BTreeMap<String, String> {
    [
        ("DEMO_BILLETWEB_USER", "demo-user"),
        ("DEMO_BILLETWEB_KEY", "demo-key"),
        ("DEMO_HELLOASSO_CLIENT_ID", "demo-client"),
        ("DEMO_HELLOASSO_CLIENT_SECRET", "demo-secret"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Starts the Billetweb and HelloAsso demo servers on local ports.
pub async fn start_demo_vendors() -> Result<Vec<DemoVendor>, ReplayError> {
    Ok(vec![
        start(SourceKind::Billetweb, BILLETWEB, "/api").await?,
        start(SourceKind::Helloasso, HELLOASSO, "").await?,
    ])
}

async fn start(
    kind: SourceKind,
    files: &[(&str, &str)],
    prefix: &str,
) -> Result<DemoVendor, ReplayError> {
    let script = load_embedded(&format!("fixtures/demo-vendors/{}", kind.code()), files)?;
    let server = ReplayServer::start(script)
        .await
        .map_err(|e| ReplayError::Bind(e.to_string()))?;
    let spec = SourceSpec {
        key: kind.code().to_string(),
        kind,
        path: None,
        base_url: Some(format!("{}{prefix}", server.base_url())),
        credentials_env: Some(format!("DEMO_{}", kind.code().to_ascii_uppercase())),
    };
    Ok(DemoVendor { server, spec })
}

#[cfg(test)]
mod tests;
