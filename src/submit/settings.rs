//! `[mail]`, `[channels.sibil|sacd|sacem]` and `[secrets]` of the configuration (`formats.md`
//! §2): where each body's channel is, and which environment variables hold its secrets. No
//! secret is ever read from the file.

use anyhow::{bail, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMail {
    smtp_url: String,
    from: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannels {
    #[serde(default)]
    sibil: Option<RawBase>,
    #[serde(default)]
    sacd: Option<RawSacd>,
    #[serde(default)]
    sacem: Option<RawSacem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBase {
    base_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSacd {
    base_url: String,
    #[serde(default)]
    credentials_env: Option<String>,
    #[serde(default)]
    attachments_to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSacem {
    #[serde(default)]
    to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecrets {
    #[serde(default)]
    key_file: Option<String>,
}

/// `[mail]`: the SMTP server (`smtp://host:port`; credentials from `RELEVE_SMTP_USER` /
/// `RELEVE_SMTP_PASSWORD`) and the sender address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub smtp_url: String,
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SacdChannel {
    pub base_url: String,
    /// Prefix of `_PROVIDER_NAME`, `_REFFILE`, `_PASSWORD`, `_CONSUMER_KEY`, `_SECRET_KEY`.
    pub credentials_env: String,
    /// Where the attachments of a bordereau (contracts, programme of the works) are e-mailed:
    /// the SACD delegation's address. Needed only when a month has attachments.
    pub attachments_to: Option<String>,
}

/// How approved versions leave releve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionSettings {
    pub mail: Option<MailSettings>,
    /// The SIBIL API root (`{base_url}/api/v2/…`).
    pub sibil_base_url: Option<String>,
    pub sacd: Option<SacdChannel>,
    /// `[channels.sacem]` present (SACEM by e-mail; needs `[mail]`).
    pub sacem_enabled: bool,
    /// Overrides the regional delegation chosen from the venue's postal code.
    pub sacem_to: Option<String>,
    /// `[secrets] key_file` (default `releve.key` beside the configuration).
    pub key_file: PathBuf,
}

pub fn validate(
    mail: Option<RawMail>,
    channels: Option<RawChannels>,
    secrets: Option<RawSecrets>,
    path: &Path,
    base: &Path,
) -> Result<SubmissionSettings> {
    let file = path.display();
    let mail = match mail {
        Some(m) => {
            if !(m.smtp_url.starts_with("smtp://") || m.smtp_url.starts_with("smtps://")) {
                bail!(
                    "configuration {file} : [mail] smtp_url « {} » invalide (attendu smtp://hôte:port ou smtps://hôte:port)",
                    m.smtp_url
                );
            }
            if m.smtp_url.contains('@') {
                bail!(
                    "configuration {file} : [mail] smtp_url ne doit contenir ni identifiant ni mot de passe : mettez-les dans RELEVE_SMTP_USER et RELEVE_SMTP_PASSWORD"
                );
            }
            if !m.from.contains('@') {
                bail!(
                    "configuration {file} : [mail] from « {} » n'est pas une adresse e-mail",
                    m.from
                );
            }
            Some(MailSettings {
                smtp_url: m.smtp_url,
                from: m.from,
            })
        }
        None => None,
    };
    let channels = channels.unwrap_or_default();
    let url = |name: &str, u: String| -> Result<String> {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            bail!("configuration {file} : [channels.{name}] base_url « {u} » invalide (attendu https://…)");
        }
        Ok(u.trim_end_matches('/').to_string())
    };
    let sibil_base_url = channels
        .sibil
        .map(|s| url("sibil", s.base_url))
        .transpose()?;
    let sacd = match channels.sacd {
        Some(s) => {
            if let Some(to) = s.attachments_to.as_deref().filter(|t| !t.contains('@')) {
                bail!("configuration {file} : [channels.sacd] attachments_to « {to} » n'est pas une adresse e-mail");
            }
            Some(SacdChannel {
                base_url: url("sacd", s.base_url)?,
                credentials_env: s.credentials_env.unwrap_or_else(|| "SACD".into()),
                attachments_to: s.attachments_to,
            })
        }
        None => None,
    };
    let sacem_enabled = channels.sacem.is_some();
    let sacem_to = channels.sacem.and_then(|s| s.to);
    if sacem_enabled && mail.is_none() {
        bail!("configuration {file} : [channels.sacem] demande une section [mail] (serveur SMTP et expéditeur)");
    }
    let key_file = base.join(
        secrets
            .and_then(|s| s.key_file)
            .unwrap_or_else(|| "releve.key".into()),
    );
    Ok(SubmissionSettings {
        mail,
        sibil_base_url,
        sacd,
        sacem_enabled,
        sacem_to,
        key_file,
    })
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    const ORG: &str = "[[organisation]]\nslug = \"digues\"\nname = \"Théâtre des Digues\"\nsiret = \"81234567600009\"\nsibil_credentials_env = \"SIBIL_DIGUES\"\n";

    fn parse(root: &str) -> anyhow::Result<Config> {
        Config::parse(
            &format!("{root}\n{ORG}"),
            Path::new("/srv/releve/releve.toml"),
        )
    }

    #[test]
    fn channels_mail_and_secrets_are_read_with_their_defaults() {
        let c = parse(
            "[mail]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"releve@digues.fr\"\n\
             [channels.sibil]\nbase_url = \"https://sibil.example/\"\n\
             [channels.sacd]\nbase_url = \"https://sacd.example\"\n[channels.sacem]\n",
        )
        .unwrap();
        let s = &c.submission;
        assert_eq!(s.sibil_base_url.as_deref(), Some("https://sibil.example"));
        let sacd = s.sacd.as_ref().unwrap();
        assert_eq!(sacd.credentials_env, "SACD");
        assert!(s.sacem_enabled);
        assert_eq!(s.sacem_to, None);
        assert_eq!(s.key_file, Path::new("/srv/releve/releve.key"));
        assert_eq!(
            c.organisations[0].sibil_credentials_env.as_deref(),
            Some("SIBIL_DIGUES")
        );
    }

    #[test]
    fn secrets_in_the_smtp_url_and_sacem_without_mail_are_refused_in_french() {
        let e = parse("[mail]\nsmtp_url = \"smtp://u:pw@h:25\"\nfrom = \"a@b.fr\"\n").unwrap_err();
        assert!(e.to_string().contains("RELEVE_SMTP_PASSWORD"), "{e}");
        let e = parse("[channels.sacem]\nto = \"dl@sacem.fr\"\n").unwrap_err();
        assert!(e.to_string().contains("demande une section [mail]"), "{e}");
        let e = parse("[channels.sibil]\nbase_url = \"sibil.example\"\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("base_url « sibil.example » invalide"),
            "{e}"
        );
    }
}
