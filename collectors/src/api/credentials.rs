//! Secrets of a source, from the environment (`credentials_env = "PREFIX"` → `PREFIX_USER`, …).

use super::error::ApiError;
use crate::SourceKind;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;

/// Where variables are read: the process environment in production, a map in tests and in
/// the offline demo.
pub trait EnvLookup: Send + Sync {
    fn var(&self, name: &str) -> Option<String>;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessEnv;

impl EnvLookup for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl EnvLookup for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

/// Variable suffixes per kind (`formats.md` §2) and what each holds, in French.
pub fn variables(kind: SourceKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        SourceKind::Billetweb => &[
            ("USER", "l'identifiant (User) de la clé d'API Billetweb"),
            ("KEY", "la clé (Key) de la clé d'API Billetweb"),
        ],
        SourceKind::Helloasso => &[
            (
                "CLIENT_ID",
                "l'identifiant client (Client ID) de l'API HelloAsso",
            ),
            (
                "CLIENT_SECRET",
                "le secret client (Client Secret) de l'API HelloAsso",
            ),
        ],
        SourceKind::Mapado | SourceKind::Supersoniks | SourceKind::Soticket => {
            &[("TOKEN", "le jeton d'accès à l'API de la billetterie")]
        }
        SourceKind::Shotgun => &[
            ("ORGANIZER_ID", "l'identifiant d'organisateur Shotgun"),
            ("TOKEN", "le jeton d'API Shotgun"),
        ],
        SourceKind::Weezevent => &[
            ("API_KEY", "la clé d'API Weezevent"),
            ("USERNAME", "l'identifiant du compte Weezevent"),
            ("PASSWORD", "le mot de passe du compte Weezevent"),
        ],
        _ => &[],
    }
}

/// The secrets of one source. `Debug` never shows a value.
pub struct Credentials {
    values: BTreeMap<&'static str, SecretString>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("variables", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Credentials {
    /// Reads every variable `kind` needs, failing on the first one missing or empty.
    pub fn load(
        kind: SourceKind,
        source_key: &str,
        prefix: &str,
        env: &dyn EnvLookup,
    ) -> Result<Credentials, ApiError> {
        let mut values = BTreeMap::new();
        for (suffix, what) in variables(kind) {
            let variable = format!("{prefix}_{suffix}");
            match env.var(&variable) {
                Some(v) if !v.trim().is_empty() => {
                    values.insert(*suffix, SecretString::from(v.trim().to_string()));
                }
                _ => {
                    return Err(ApiError::MissingCredential {
                        source_key: source_key.to_string(),
                        prefix: prefix.to_string(),
                        variable,
                        what: what.to_string(),
                    })
                }
            }
        }
        Ok(Credentials { values })
    }

    /// Credentials given directly (tests).
    pub fn from_pairs(pairs: &[(&'static str, &str)]) -> Credentials {
        Credentials {
            values: pairs
                .iter()
                .map(|(k, v)| (*k, SecretString::from(v.to_string())))
                .collect(),
        }
    }

    /// The value of a variable suffix; empty when the kind does not declare it.
    pub fn expose(&self, suffix: &str) -> &str {
        self.values
            .get(suffix)
            .map(|s| s.expose_secret())
            .unwrap_or("")
    }

    /// Every secret value, for masking in texts that may echo them.
    pub fn secret_values(&self) -> Vec<&str> {
        self.values.values().map(|s| s.expose_secret()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_variable_is_named_in_french() {
        let env: BTreeMap<String, String> = [("BW_USER".to_string(), "42".to_string())]
            .into_iter()
            .collect();
        let err = Credentials::load(SourceKind::Billetweb, "billetweb", "BW", &env).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("BW_KEY"), "{text}");
        assert!(text.contains("absente"), "{text}");
        let env: BTreeMap<String, String> = [("BW_USER", "42"), ("BW_KEY", "k3y-value")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let c = Credentials::load(SourceKind::Billetweb, "billetweb", "BW", &env).unwrap();
        assert_eq!(c.expose("KEY"), "k3y-value");
        assert!(!format!("{c:?}").contains("k3y-value"));
    }
}
