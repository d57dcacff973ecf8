//! Channel `sibil_api`: the approved SIBIL declarations sent through the SIBIL REST API v2
//! client (`releve_declarations::sibil::client`, whose module doc is the contract).
//!
//! - Account: the organisation's "SIB" account, from `{sibil_credentials_env}_USERNAME` and
//!   `{sibil_credentials_env}_PASSWORD` in the environment, else as stored (sealed) from the
//!   workspace (`crate::credentials`); the API root from `[channels.sibil] base_url`.
//! - Per declaration: the domain label is resolved against the environment's referential,
//!   the venue type checked, then the client searches SIBIL by `idExtBilletterie` and updates
//!   what SIBIL holds (PUT with its id and version) or creates it (POST). Searching first is
//!   also the crash recovery: after a send whose answer was lost, SIBIL already holds the
//!   declaration and it is updated, never created twice. A cancelled performance goes as
//!   `ANNULE` under the same `idExtBilletterie`.
//! - A 401 renews the token once (the client); a login refusal or an unreachable server is a
//!   passing failure (retried); a refusal of one declaration is kept with SIBIL's reason in
//!   French and the others still go: the row is `rejected` if any was refused.
//! - Stored exchanges: the login (password as `***`, token never), the referentials asked,
//!   and per declaration the DTO sent and SIBIL's answer.

use crate::submit::channel::{Channel, Context, Delivering, Delivery};
use crate::submit::fault;
use anyhow::{anyhow, Context as _, Result};
use releve_declarations::sibil::client::{self, Action, Credentials, SibilClient, SibilError};
use releve_declarations::sibil::SibilDeclaration;
use releve_store::Outcome;
use secrecy::ExposeSecret;
use serde_json::json;

pub const CODE: &str = "sibil_api";

pub struct SibilApi;

impl Channel for SibilApi {
    fn code(&self) -> &'static str {
        CODE
    }

    fn deliver<'a>(&'a self, ctx: &'a Context<'a>) -> Delivering<'a> {
        Box::pin(deliver(ctx))
    }
}

/// The SIBIL account: the environment variables when set, else what an admin stored (sealed)
/// in the workspace.
async fn credentials(ctx: &Context<'_>) -> Result<Credentials> {
    let prefix = ctx.org.sibil_credentials_env.as_deref().ok_or_else(|| {
        anyhow!(
            "SIBIL : l'organisation « {} » n'a pas de sibil_credentials_env dans la configuration \
             (préfixe des variables du compte SIBIL de type billetterie)",
            ctx.org.organisation.slug
        )
    })?;
    let names = [format!("{prefix}_USERNAME"), format!("{prefix}_PASSWORD")];
    let found = crate::credentials::resolve(
        ctx.store,
        &ctx.settings.key_file,
        &releve_collectors::api::ProcessEnv,
        &ctx.org.organisation.slug,
        &names,
    )
    .await?;
    let value = |name: &String| -> Result<String> {
        found
            .get(name)
            .map(|v| v.expose_secret().to_string())
            .ok_or_else(|| {
                anyhow!(
                    "SIBIL : la variable d'environnement {name} est absente ou vide et aucun identifiant n'est \
                     enregistré dans l'espace de travail (Administration → Identifiants) ; renseignez l'un ou l'autre"
                )
            })
    };
    Ok(Credentials {
        username: value(&names[0])?,
        password: value(&names[1])?,
    })
}

async fn deliver(ctx: &Context<'_>) -> Result<Delivery> {
    let base =
        ctx.settings.sibil_base_url.as_deref().ok_or_else(|| {
            anyhow!("SIBIL : [channels.sibil] base_url absent de la configuration")
        })?;
    let declarations: Vec<SibilDeclaration> =
        serde_json::from_value(ctx.row.payload["declarations"].clone())
            .context("SIBIL : déclarations illisibles dans la file d'envoi")?;
    let credentials = credentials(ctx).await?;
    let username = credentials.username.clone();
    let mut client = SibilClient::new(base, credentials)?;
    let login = json!({"username": username, "password": "***", "rememberMe": false}).to_string();
    match client.authenticate().await {
        Ok(()) => {
            ctx.exchange(
                "POST /api/v2/authenticate",
                &login,
                Some("{\"id_token\":\"***\"}"),
            )
            .await?
        }
        Err(e) => {
            ctx.exchange("POST /api/v2/authenticate", &login, Some(&e.to_string()))
                .await?;
            return Err(e.into());
        }
    }
    let domains = client.domains().await?;
    let types = client.venue_types().await?;
    ctx.exchange(
        "GET /api/v2/domaine-representations, /api/v2/lieux/types",
        "{}",
        Some(
            &json!({
                "domaines": domains.iter().map(|d| json!({"id": d.id, "libelle": d.libelle})).collect::<Vec<_>>(),
                "typesLieu": types.iter().map(|t| t.code.clone()).collect::<Vec<_>>(),
            })
            .to_string(),
        ),
    )
    .await?;

    let (mut created, mut updated) = (0, 0);
    let mut refused = Vec::new();
    let mut warnings = Vec::new();
    for d in &declarations {
        let id_ext = &d.id_ext_billetterie;
        let Some(domain) = client::domain_id(&domains, &d.domaine_representation_libelle) else {
            refused.push(
                SibilError::UnknownDomain {
                    id_ext: id_ext.clone(),
                    label: d.domaine_representation_libelle.clone(),
                }
                .to_string(),
            );
            continue;
        };
        if !types.iter().any(|t| t.code == d.lieu_champs.type_lieu) {
            refused.push(
                SibilError::UnknownVenueType {
                    id_ext: id_ext.clone(),
                    type_lieu: d.lieu_champs.type_lieu.clone(),
                    accepted: types
                        .iter()
                        .map(|t| t.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
                .to_string(),
            );
            continue;
        }
        let request = client::wire(d, domain).to_json();
        fault::point("before_request");
        let outcome = client.upsert(d, domain).await;
        fault::point("after_request");
        let step = format!("declaration {id_ext}");
        match outcome {
            Ok(sent) => {
                let action = match sent.action {
                    Action::Created => {
                        created += 1;
                        "créée"
                    }
                    Action::Updated => {
                        updated += 1;
                        "mise à jour"
                    }
                };
                let answer = json!({"action": action, "id": sent.sibil_id}).to_string();
                ctx.exchange(&step, &request, Some(&answer)).await?;
                if d.lieu_champs.type_lieu == "AUTRE" {
                    warnings.push(format!(
                        "SIBIL : la représentation {id_ext} est déclarée avec le type de lieu AUTRE ; précisez venue_type dans le programme"
                    ));
                }
            }
            Err(e) if e.is_per_declaration() => {
                ctx.exchange(&step, &request, Some(&e.to_string())).await?;
                refused.push(e.to_string());
            }
            Err(e) => {
                ctx.exchange(&step, &request, Some(&e.to_string())).await?;
                return Err(e.into());
            }
        }
    }
    let total = declarations.len();
    let outcome = if refused.is_empty() {
        Outcome::Accepted {
            receipt: format!(
                "SIBIL : {total} déclaration{} acceptée{} ({created} créée{}, {updated} mise{} à jour)",
                plural(total),
                plural(total),
                plural(created),
                plural(updated)
            ),
        }
    } else {
        Outcome::Rejected {
            reason: format!(
                "SIBIL : {} déclaration{} sur {total} refusée{} ({} acceptée{}) :\n      - {}",
                refused.len(),
                plural(refused.len()),
                plural(refused.len()),
                created + updated,
                plural(created + updated),
                refused.join("\n      - ")
            ),
        }
    };
    Ok(Delivery { outcome, warnings })
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}
