//! Channel `depot`: bodies without a public API (CNM, ASTP), and any body whose channel is not
//! configured, get a deposit package: the approved files (CSV in the portal's column order,
//! PDF), a short French note of what to enter where, and the portal's address, written into
//! `OUT/<org>/<month>/depot/<body>.v<N>/`. The row is then `sent` (ready) until the
//! administrator records the portal's receipt with `releve submitted`, which makes it
//! `accepted`. Writing the package again after a crash gives the same files.

use crate::config::Config;
use crate::submit::channel::{Channel, Context, Delivering, Delivery};
use crate::submit::fault;
use anyhow::{anyhow, Result};
use releve_domain::Month;
use releve_store::Outcome;

pub const CODE: &str = "depot";

/// The note's file name in the package.
pub const NOTE: &str = "A-LIRE-depot.txt";

pub struct DepositPackage;

impl Channel for DepositPackage {
    fn code(&self) -> &'static str {
        CODE
    }

    fn deliver<'a>(&'a self, ctx: &'a Context<'a>) -> Delivering<'a> {
        Box::pin(deliver(ctx))
    }
}

/// Where the body's declarations are entered.
pub fn portal(body: &str) -> &'static str {
    match body {
        "cnm" => "https://cnm.fr/taxe/declaration/",
        "astp" => "https://www.astp.asso.fr/LA-TAXE/PRINCIPES-G%C3%89N%C3%89RAUX",
        "sibil" => "https://sibil.culture.gouv.fr",
        "sacem" => "https://clients.sacem.fr",
        _ => "https://www.sacd.fr",
    }
}

/// The French note of the package: what to enter where.
pub fn note(body: &str, org_name: &str, month: Month, version: u32, _config: &Config) -> String {
    let steps = match body {
        "cnm" => "1. Connectez-vous à l'espace entrepreneur du CNM (taxe sur les spectacles de variétés).\n\
                  2. Créez la déclaration du mois indiqué ci-dessus.\n\
                  3. Pour chaque représentation, recopiez les colonnes de cnm.csv dans l'ordre du formulaire \
                     (date, spectacle, lieu, billets payants, recette hors taxes, taxe due) ; les totaux du PDF \
                     doivent être ceux du portail.\n\
                  4. Joignez cnm.pdf si le portail le demande, puis validez.",
        "astp" => "1. Connectez-vous à l'espace de déclaration de l'ASTP (taxe sur les spectacles d'art dramatique, \
                   lyrique et chorégraphique).\n\
                   2. Déclarez le mois indiqué ci-dessus : une ligne par représentation de astp.csv, dans l'ordre \
                      des colonnes (date, spectacle, lieu, billets payants, recette hors taxes, taxe due).\n\
                   3. Joignez astp.pdf (le formulaire rempli), puis validez ; les exonérations indiquées dans le \
                      PDF sont à reporter telles quelles.",
        "sacem" => "1. Envoyez sacem.pdf (état des recettes et des dépenses) à la délégation régionale de la SACEM \
                    indiquée dans le PDF, avec les contrats artistiques et le programme des œuvres.\n\
                    2. Gardez l'accusé de réception de la délégation.",
        "sacd" => "1. Envoyez le bordereau sacd.pdf à la SACD (ou déposez sacd.xml si votre compte SACD le permet).\n\
                   2. Gardez l'accusé de réception.",
        _ => "1. Saisissez les déclarations de sibil.json sur le portail SIBIL, une par représentation.\n\
              2. Pour un envoi automatique, configurez [channels.sibil] et sibil_credentials_env.",
    };
    format!(
        "Dossier de dépôt {body_upper} — {org_name} — {month} — version {version} approuvée\n\
         \n\
         Portail : {portal}\n\
         \n\
         {steps}\n\
         \n\
         Ensuite, enregistrez le récépissé donné par le portail :\n\
         releve submitted --config FICHIER --month {month} --body {body} --version {version} --by \"Nom, fonction\" --channel portail --receipt \"numéro du récépissé\"\n\
         Tant que ce récépissé n'est pas enregistré, `releve submit` signale ce dossier comme en attente.\n",
        body_upper = body.to_uppercase(),
        portal = portal(body),
    )
}

async fn deliver(ctx: &Context<'_>) -> Result<Delivery> {
    let payload = &ctx.row.payload;
    let folder = ctx.path(
        payload["folder"]
            .as_str()
            .ok_or_else(|| anyhow!("dossier de dépôt absent de la file d'envoi"))?,
    );
    std::fs::create_dir_all(&folder)
        .map_err(|e| anyhow!("création du dossier {} impossible : {e}", folder.display()))?;
    let mut names = Vec::new();
    for f in payload["files"].as_array().into_iter().flatten() {
        let (name, bytes) = ctx.read_checked(f, "dossier de dépôt")?;
        crate::outputs::write_atomically(&folder, &name, &bytes)?;
        names.push(name);
    }
    let note = payload["note"].as_str().unwrap_or_default();
    crate::outputs::write_atomically(&folder, NOTE, note.as_bytes())?;
    fault::point("after_request");
    ctx.exchange(
        "package",
        &serde_json::json!({"folder": folder, "files": names, "portal": payload["portal"]})
            .to_string(),
        None,
    )
    .await?;
    Ok(Delivery {
        outcome: Outcome::Sent {
            receipt: format!(
                "dossier prêt dans {} (portail : {})",
                folder.display(),
                payload["portal"].as_str().unwrap_or("")
            ),
        },
        warnings: Vec::new(),
    })
}
