//! `releve user add` and `releve token create | revoke` (formats.md §1): the people of the
//! workspace and the tokens of the API. Passwords are stored as argon2id hashes and tokens as
//! SHA-256; a generated password or a new token is printed once and never again.

use crate::cli::{TokenCommand, UserCommand};
use crate::config::Config;
use crate::server::access::{Role, Scope};
use crate::server::secrets;
use crate::status::Status;
use anyhow::{anyhow, bail, Result};
use releve_domain::{Clock, SystemClock};
use releve_store::Store;
use std::io::{BufRead, IsTerminal, Write};

/// What a new user is given.
pub enum Grant<'a> {
    Role { org: &'a str, role: Role },
    Funder(&'a str),
}

/// Creates the user if needed (with `password`) and grants the membership. Returns whether the
/// user was created and whether the grant is new.
pub async fn add_user(
    store: &Store,
    email: &str,
    password: &str,
    grant: &Grant<'_>,
) -> Result<(bool, bool)> {
    let now = SystemClock.now();
    let email = releve_store::normalise_email(email);
    if !email.contains('@') || email.contains(char::is_whitespace) {
        bail!("--email : « {email} » n'est pas une adresse e-mail");
    }
    let hash = match store.user_by_email(&email).await? {
        Some(_) => String::new(),
        None => {
            secrets::check_password_strength(password)?;
            secrets::hash_password(password)?
        }
    };
    let (user, created) = store.ensure_user(&email, &hash, now).await?;
    let granted = match grant {
        Grant::Role { org, role } => store.add_membership(user.id, org, role.code(), now).await?,
        Grant::Funder(funder) => store.add_funder_reader(user.id, funder, now).await?,
    };
    Ok((created, granted))
}

pub async fn user(command: UserCommand, out: &mut dyn Write) -> Result<Status> {
    let UserCommand::Add {
        config,
        email,
        org,
        role,
        funder,
    } = command;
    let config = Config::load(&config)?;
    let grant = match (&org, &role, &funder) {
        (Some(org), Some(role), None) => {
            config.select(Some(org))?;
            let role = Role::parse(role).ok_or_else(|| {
                anyhow!(
                    "--role : rôle « {role} » inconnu (rôles : {})",
                    Role::ALL.map(|r| r.code()).join(", ")
                )
            })?;
            Grant::Role { org, role }
        }
        (None, None, Some(funder)) => {
            if !config.funders.iter().any(|f| &f.slug == funder) {
                bail!("--funder : le financeur « {funder} » n'est pas dans la configuration ([[funder]])");
            }
            Grant::Funder(funder)
        }
        _ => bail!("précisez --org et --role, ou --funder"),
    };
    let store = Store::connect(&config.database_url).await?;
    for o in &config.organisations {
        store.upsert_organisation(&o.organisation).await?;
    }
    let exists = store.user_by_email(&email).await?.is_some();
    let (password, generated) = if exists {
        (String::new(), false)
    } else if std::io::stdin().is_terminal() {
        (secrets::new_password()?, true)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            bail!("mot de passe attendu sur la première ligne de l'entrée standard (ou lancez la commande dans un terminal pour en générer un)");
        }
        (line, false)
    };
    let (created, granted) = add_user(&store, &email, &password, &grant).await?;
    let what = match &grant {
        Grant::Role { org, role } => format!("{} de « {org} »", role.label_fr()),
        Grant::Funder(f) => format!("lecteur du financeur « {f} »"),
    };
    let email = releve_store::normalise_email(&email);
    match (created, granted) {
        (true, _) => writeln!(out, "Utilisateur {email} créé : {what}.")?,
        (false, true) => writeln!(
            out,
            "Utilisateur {email} (existant, mot de passe inchangé) : ajouté comme {what}."
        )?,
        (false, false) => writeln!(out, "Utilisateur {email} : déjà {what}, rien à changer.")?,
    }
    if generated {
        writeln!(out, "Mot de passe (affiché une seule fois) : {password}")?;
    }
    Ok(Status::Success)
}

pub async fn token(command: TokenCommand, out: &mut dyn Write) -> Result<Status> {
    match command {
        TokenCommand::Create {
            config,
            name,
            scope,
            org,
            funder,
        } => {
            let config = Config::load(&config)?;
            let scope_value = Scope::parse(&scope).ok_or_else(|| {
                anyhow!(
                    "--scope : portée « {scope} » inconnue (portées : {})",
                    Scope::ALL.map(|s| s.code()).join(", ")
                )
            })?;
            match (scope_value, &org, &funder) {
                (Scope::Read | Scope::Write | Scope::Push, Some(org), None) => {
                    config.select(Some(org))?;
                }
                (Scope::Read | Scope::Write | Scope::Push, _, _) => {
                    bail!("--scope {scope} : précisez --org (et pas --funder)")
                }
                (Scope::Ministry, None, None) => {}
                (Scope::Ministry, _, _) => bail!(
                    "--scope ministry : ni --org ni --funder (le jeton lit chaque organisation dont share_with_ministry = true)"
                ),
                (Scope::Funder, None, Some(f)) => {
                    if !config.funders.iter().any(|g| &g.slug == f) {
                        bail!("--funder : le financeur « {f} » n'est pas dans la configuration ([[funder]])");
                    }
                }
                (Scope::Funder, _, _) => bail!("--scope funder : précisez --funder (et pas --org)"),
            }
            if name.trim().is_empty() {
                bail!("--name : donnez un nom au jeton (par exemple « outil-compta »)");
            }
            let store = Store::connect(&config.database_url).await?;
            let token = secrets::new_api_token()?;
            let created = store
                .create_api_token(
                    name.trim(),
                    &secrets::token_hash(&token),
                    scope_value.code(),
                    org.as_deref(),
                    funder.as_deref(),
                    SystemClock.now(),
                )
                .await?;
            if !created {
                bail!(
                    "--name : un jeton « {} » existe déjà (révoquez-le ou choisissez un autre nom)",
                    name.trim()
                );
            }
            writeln!(out, "Jeton « {} » créé (portée {scope}). Copiez-le maintenant, il ne sera plus affiché :", name.trim())?;
            writeln!(out, "{token}")?;
            Ok(Status::Success)
        }
        TokenCommand::Revoke { config, name } => {
            let config = Config::load(&config)?;
            let store = Store::connect(&config.database_url).await?;
            if store
                .revoke_api_token(name.trim(), SystemClock.now())
                .await?
            {
                writeln!(out, "Jeton « {} » révoqué.", name.trim())?;
                Ok(Status::Success)
            } else {
                bail!("aucun jeton actif nommé « {} »", name.trim())
            }
        }
    }
}
