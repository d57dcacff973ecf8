//! The configuration file (`formats.md` §2): reading, validating, and resolving paths.
//!
//! Unknown keys are errors that name the key and its line; a bad SIRET or slug names the
//! organisation; relative paths are resolved against the configuration file's folder, never
//! against the working directory. Secrets are never read from the file: API sources name an
//! environment-variable prefix (`credentials_env`).

use anyhow::{anyhow, bail, Context, Result};
use releve_collectors::{SourceKind, SourceSpec};
use releve_domain::{Organisation, Siret, VatRate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    database: Option<RawDatabase>,
    /// Optional replacement of the bundled dated rules (`rules.toml` shape).
    #[serde(default)]
    rules_file: Option<String>,
    /// Optional replacement of the bundled discipline table (`disciplines.csv` shape).
    #[serde(default)]
    disciplines_file: Option<String>,
    /// First month of the season for funders' indicators (9 = September).
    #[serde(default)]
    season_start_month: Option<u32>,
    /// Optional replacement of the SACEM regional delegations table (`sacem_agencies.csv` shape).
    #[serde(default)]
    sacem_agencies_file: Option<String>,
    #[serde(default)]
    server: Option<RawServer>,
    #[serde(default)]
    schedule: Option<RawSchedule>,
    #[serde(default)]
    funder: Vec<RawFunder>,
    /// `[mail]`, `[channels.*]`, `[secrets]`: submission settings (`crate::submit::settings`).
    #[serde(default)]
    mail: Option<crate::submit::settings::RawMail>,
    #[serde(default)]
    channels: Option<crate::submit::settings::RawChannels>,
    #[serde(default)]
    secrets: Option<crate::submit::settings::RawSecrets>,
    /// `[reminders]`: deadline reminders and run reports (`crate::reminders::settings`).
    #[serde(default)]
    reminders: Option<crate::reminders::settings::RawReminders>,
    #[serde(default)]
    output: Option<RawOutput>,
    #[serde(default)]
    organisation: Vec<RawOrganisation>,
    /// The public company register (`[registry]`).
    #[serde(default)]
    registry: Option<RawRegistry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    #[serde(default)]
    listen: Option<String>,
    #[serde(default)]
    public_url: Option<String>,
    #[serde(default)]
    api_requests_per_minute: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    day: u32,
    time: String,
    #[serde(default)]
    sacd_weekday: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFunder {
    slug: String,
    name: String,
    kind: String,
}

/// `[output]`: how files are written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    #[serde(default)]
    csv: Option<CsvStyle>,
}

/// `[output] csv`: `excel` (default) writes `;`, decimal commas and a UTF-8 BOM, which French
/// Excel opens as is; `international` writes `,`, decimal points and no BOM, for machines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvStyle {
    #[default]
    Excel,
    International,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    slug: String,
    name: String,
    siret: String,
    #[serde(default)]
    licence: Option<String>,
    #[serde(default)]
    subsidised: bool,
    #[serde(default)]
    sacem_client_id: Option<String>,
    #[serde(default)]
    sacd_declarant_id: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    city: Option<String>,
    /// Its theatre belongs to the ASTP (humour and musicals there go to ASTP).
    #[serde(default)]
    astp_member_theatre: bool,
    /// Intra-EU VAT number (SACD bordereau).
    #[serde(default)]
    vat_number: Option<String>,
    #[serde(default)]
    contact_email: Option<String>,
    #[serde(default)]
    share_with_ministry: bool,
    #[serde(default)]
    share_indicators_with: Vec<String>,
    /// Prefix of the variables holding the SIBIL account (`PREFIX_USERNAME`, `PREFIX_PASSWORD`).
    #[serde(default)]
    sibil_credentials_env: Option<String>,
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    kind: String,
    /// Unique in the organisation; prefixes the ids of everything the source brings.
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    credentials_env: Option<String>,
    /// VAT rate of paid tickets for a vendor whose API does not give it (Weezevent).
    #[serde(default)]
    vat_rate: Option<String>,
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file itself (absolute).
    pub path: PathBuf,
    pub database_url: String,
    pub rules_file: Option<PathBuf>,
    pub disciplines_file: Option<PathBuf>,
    /// First month of the season (1–12), September by default.
    pub season_start_month: u32,
    pub sacem_agencies_file: Option<PathBuf>,
    /// `[server]`: where `releve serve` listens and the public address of links.
    pub server: ServerConfig,
    /// `[schedule]`: the monthly job run by `releve serve`, if configured.
    pub schedule: Option<ScheduleConfig>,
    /// `[[funder]]`: the public funders that may read shared indicators.
    pub funders: Vec<FunderConfig>,
    /// `[output] csv`.
    pub csv: CsvStyle,
    pub organisations: Vec<OrganisationConfig>,
    /// `[mail]`, `[channels.*]`, `[secrets]`: how approved versions are sent.
    pub submission: crate::submit::settings::SubmissionSettings,
    /// `[reminders]`: when the contact is e-mailed before deadlines and after scheduled runs.
    pub reminders: crate::reminders::settings::ReminderSettings,
    /// `[registry]`: where the company register is and whether it is used.
    pub registry: RegistrySettings,
}

/// `[registry]` (`formats.md` §2). Absent: enabled, at the register's public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrySettings {
    pub base_url: String,
    /// `false`: nothing is looked up, not even in the cache.
    pub enabled: bool,
    /// Cache only, never the network (set by `releve demo`, not by the file).
    pub offline: bool,
}

impl Default for RegistrySettings {
    fn default() -> RegistrySettings {
        RegistrySettings {
            base_url: releve_collectors::registry::RegistryConfig::DEFAULT_BASE_URL.to_string(),
            enabled: true,
            offline: false,
        }
    }
}

/// `[server]` (formats.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// `ADDR:PORT`, `127.0.0.1:8080` by default; `--listen` wins.
    pub listen: String,
    /// The public address (links in e-mails); cookies are `Secure` when it is https.
    pub public_url: Option<String>,
    /// API requests allowed per minute and per token (429 beyond), 600 by default.
    pub api_requests_per_minute: u32,
}

impl ServerConfig {
    pub const DEFAULT_LISTEN: &'static str = "127.0.0.1:8080";
    pub const DEFAULT_API_REQUESTS_PER_MINUTE: u32 = 600;

    /// Whether session cookies must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// `[schedule]` (formats.md §2): the monthly job on `day` at `time` (Paris).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleConfig {
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    /// 0 = Monday … 6 = Sunday: a weekly SACD bordereau, when set.
    pub sacd_weekday: Option<u32>,
}

/// `[[funder]]` (formats.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunderConfig {
    pub slug: String,
    pub name: String,
    /// etat | region | departement | commune | intercommunalite | autre
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct OrganisationConfig {
    pub organisation: Organisation,
    pub sources: Vec<SourceSpec>,
    /// Per source key: the VAT rate to apply to paid tickets of a vendor whose API gives none.
    pub assumed_vat: BTreeMap<String, VatRate>,
    /// Deadline reminders and run reports go to this address.
    pub contact_email: Option<String>,
    /// The Ministry's `ministry` tokens may read this organisation's approved SIBIL data.
    pub share_with_ministry: bool,
    /// Funders (slugs of `[[funder]]`) that may read this organisation's indicators.
    pub share_indicators_with: Vec<String>,
    /// Prefix of the environment variables of the organisation's SIBIL account.
    pub sibil_credentials_env: Option<String>,
}

impl Config {
    /// Reads and validates a configuration file. Every error says which file, which key or
    /// organisation, and what is expected.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "fichier de configuration introuvable ou illisible : {}",
                path.display()
            )
        })?;
        let absolute = std::path::absolute(path)
            .with_context(|| format!("chemin invalide : {}", path.display()))?;
        Config::parse(&text, &absolute)
    }

    /// Parses configuration text; `path` is used for messages and to resolve relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            anyhow!(
                "configuration {} invalide : {}",
                path.display(),
                describe_toml_error(text, &e)
            )
        })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let database_url = match raw.database {
            Some(db) => resolve_database_url(&db.url, &base),
            None => sqlite_url(&base.join("releve.db")),
        };
        if raw.organisation.is_empty() {
            bail!(
                "configuration {} : aucune organisation ([[organisation]]) n'est déclarée",
                path.display()
            );
        }
        let funders = validate_funders(raw.funder, path)?;
        let server = validate_server(raw.server, path)?;
        let schedule = raw
            .schedule
            .map(|s| validate_schedule(s, path))
            .transpose()?;
        let submission =
            crate::submit::settings::validate(raw.mail, raw.channels, raw.secrets, path, &base)?;
        let mut organisations = Vec::new();
        let mut slugs = BTreeMap::new();
        for (index, org) in raw.organisation.into_iter().enumerate() {
            let where_ = format!(
                "configuration {}, organisation n°{}",
                path.display(),
                index + 1
            );
            let validated = validate_organisation(org, &base, &where_)?;
            for funder in &validated.share_indicators_with {
                if !funders.iter().any(|f| &f.slug == funder) {
                    bail!(
                        "{where_} (« {} ») : share_indicators_with nomme le financeur « {funder} », absent des [[funder]] de la configuration",
                        validated.organisation.slug
                    );
                }
            }
            if slugs
                .insert(validated.organisation.slug.clone(), ())
                .is_some()
            {
                bail!(
                    "{where_} : le slug « {} » est déjà utilisé",
                    validated.organisation.slug
                );
            }
            organisations.push(validated);
        }
        let season_start_month = raw
            .season_start_month
            .unwrap_or(releve_indicators::DEFAULT_SEASON_START);
        if !(1..=12).contains(&season_start_month) {
            bail!(
                "configuration {} : season_start_month = {season_start_month} invalide (1 à 12, 9 pour septembre)",
                path.display()
            );
        }
        let registry = registry_settings(raw.registry, path)?;
        let reminders = crate::reminders::settings::validate(raw.reminders, path)?;
        Ok(Config {
            reminders,
            registry,
            path: path.to_path_buf(),
            season_start_month,
            sacem_agencies_file: raw.sacem_agencies_file.map(|f| base.join(f)),
            database_url,
            rules_file: raw.rules_file.map(|f| base.join(f)),
            disciplines_file: raw.disciplines_file.map(|f| base.join(f)),
            server,
            schedule,
            funders,
            csv: raw.output.and_then(|o| o.csv).unwrap_or_default(),
            organisations,
            submission,
        })
    }
}

impl Config {
    /// The organisations a command acts on: all of them, or the one `--org` names (an unknown
    /// slug is an error, not an empty selection).
    pub fn select(&self, org: Option<&str>) -> Result<Vec<&OrganisationConfig>> {
        match org {
            None => Ok(self.organisations.iter().collect()),
            Some(slug) => self
                .organisations
                .iter()
                .find(|o| o.organisation.slug == slug)
                .map(|o| vec![o])
                .ok_or_else(|| {
                    anyhow!("--org : l'organisation « {slug} » n'est pas dans la configuration")
                }),
        }
    }

    /// The single organisation a command acts on: the one `--org` names, or the only one.
    pub fn one(&self, org: Option<&str>) -> Result<&OrganisationConfig> {
        match (org, self.organisations.as_slice()) {
            (None, [only]) => Ok(only),
            (None, _) => bail!("plusieurs organisations sont configurées : précisez --org"),
            (Some(_), _) => Ok(self.select(org)?[0]),
        }
    }
}

fn validate_organisation(
    raw: RawOrganisation,
    base: &Path,
    where_: &str,
) -> Result<OrganisationConfig> {
    let slug_ok = !raw.slug.is_empty()
        && raw
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        bail!(
            "{where_} : slug « {} » invalide (lettres minuscules sans accent, chiffres et tirets seulement, par exemple theatre-des-digues)",
            raw.slug
        );
    }
    let where_ = format!("{where_} (« {} »)", raw.slug);
    let siret = Siret::parse(&raw.siret).map_err(|e| anyhow!("{where_} : {e}"))?;
    if let Some(email) = &raw.contact_email {
        if !looks_like_email(email) {
            bail!("{where_} : contact_email « {email} » n'est pas une adresse e-mail");
        }
    }
    let mut per_kind: BTreeMap<SourceKind, usize> = BTreeMap::new();
    let mut names: BTreeMap<String, ()> = BTreeMap::new();
    let mut sources = Vec::new();
    let mut assumed_vat = BTreeMap::new();
    for (i, s) in raw.source.into_iter().enumerate() {
        let where_source = format!("{where_}, source n°{}", i + 1);
        let kind = SourceKind::parse(&s.kind).ok_or_else(|| {
            anyhow!(
                "{where_source} : type de source « {} » inconnu (types admis : {})",
                s.kind,
                SourceKind::ALL.map(|k| k.code()).join(", ")
            )
        })?;
        let n = per_kind.entry(kind).or_insert(0);
        *n += 1;
        let key = match &s.name {
            Some(name) => {
                let ok = !name.is_empty()
                    && name.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    });
                if !ok {
                    bail!(
                        "{where_source} : nom de source « {name} » invalide (lettres minuscules sans accent, chiffres, - et _)"
                    );
                }
                name.clone()
            }
            None if *n == 1 => kind.code().to_string(),
            None => format!("{}#{}", kind.code(), n),
        };
        if names.insert(key.clone(), ()).is_some() {
            bail!("{where_source} : le nom de source « {key} » est déjà utilisé dans cette organisation");
        }
        if kind.is_file() {
            if s.path.is_none() {
                bail!(
                    "{where_source} ({}) : la clé « path » est obligatoire",
                    kind.code()
                );
            }
            if s.base_url.is_some() || s.credentials_env.is_some() {
                bail!(
                    "{where_source} ({}) : « base_url » et « credentials_env » ne s'appliquent qu'aux sources par API",
                    kind.code()
                );
            }
        } else if kind.is_push() {
            if s.path.is_some() || s.base_url.is_some() || s.credentials_env.is_some() {
                bail!(
                    "{where_source} (push) : une source push reçoit les billets par l'API de releve ; « path », « base_url » et « credentials_env » ne s'y appliquent pas"
                );
            }
        } else {
            if s.credentials_env.is_none() {
                bail!(
                    "{where_source} ({}) : la clé « credentials_env » est obligatoire (préfixe des variables d'environnement des identifiants)",
                    kind.code()
                );
            }
            if s.path.is_some() {
                bail!(
                    "{where_source} ({}) : « path » ne s'applique pas à une source par API",
                    kind.code()
                );
            }
        }
        if let Some(rate) = &s.vat_rate {
            if kind != SourceKind::Weezevent {
                bail!(
                    "{where_source} ({}) : « vat_rate » ne s'applique qu'aux sources weezevent, dont l'API ne donne pas le taux de TVA",
                    kind.code()
                );
            }
            let rate =
                VatRate::parse(rate).map_err(|e| anyhow!("{where_source} : vat_rate : {e}"))?;
            assumed_vat.insert(key.clone(), rate);
        }
        sources.push(SourceSpec {
            key,
            kind,
            path: s.path.map(|p| base.join(p)),
            base_url: s.base_url,
            credentials_env: s.credentials_env,
        });
    }
    Ok(OrganisationConfig {
        organisation: Organisation {
            slug: raw.slug,
            name: raw.name,
            siret,
            licence: raw.licence,
            subsidised: raw.subsidised,
            sacem_client_id: raw.sacem_client_id,
            sacd_declarant_id: raw.sacd_declarant_id,
            address: raw.address,
            postal_code: raw.postal_code,
            city: raw.city,
            astp_member_theatre: raw.astp_member_theatre,
            vat_number: raw.vat_number,
        },
        sources,
        assumed_vat,
        contact_email: raw.contact_email,
        share_with_ministry: raw.share_with_ministry,
        share_indicators_with: raw.share_indicators_with,
        sibil_credentials_env: raw.sibil_credentials_env,
    })
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

const FUNDER_KINDS: [&str; 6] = [
    "etat",
    "region",
    "departement",
    "commune",
    "intercommunalite",
    "autre",
];

fn validate_funders(raw: Vec<RawFunder>, path: &Path) -> Result<Vec<FunderConfig>> {
    let mut funders: Vec<FunderConfig> = Vec::new();
    for (index, f) in raw.into_iter().enumerate() {
        let where_ = format!(
            "configuration {}, financeur n°{}",
            path.display(),
            index + 1
        );
        let slug_ok = !f.slug.is_empty()
            && f.slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            bail!("{where_} : slug « {} » invalide (lettres minuscules sans accent, chiffres et tirets)", f.slug);
        }
        if !FUNDER_KINDS.contains(&f.kind.as_str()) {
            bail!(
                "{where_} (« {} ») : kind « {} » inconnu (valeurs admises : {})",
                f.slug,
                f.kind,
                FUNDER_KINDS.join(", ")
            );
        }
        if funders.iter().any(|g| g.slug == f.slug) {
            bail!("{where_} : le slug « {} » est déjà utilisé", f.slug);
        }
        funders.push(FunderConfig {
            slug: f.slug,
            name: f.name,
            kind: f.kind,
        });
    }
    Ok(funders)
}

fn validate_server(raw: Option<RawServer>, path: &Path) -> Result<ServerConfig> {
    let raw = raw.unwrap_or(RawServer {
        listen: None,
        public_url: None,
        api_requests_per_minute: None,
    });
    let listen = raw
        .listen
        .unwrap_or_else(|| ServerConfig::DEFAULT_LISTEN.to_string());
    if listen.parse::<std::net::SocketAddr>().is_err() {
        bail!(
            "configuration {} : [server] listen = « {listen} » n'est pas une adresse ADRESSE:PORT (par exemple 127.0.0.1:8080)",
            path.display()
        );
    }
    if let Some(url) = &raw.public_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!(
                "configuration {} : [server] public_url = « {url} » doit commencer par https:// (ou http://)",
                path.display()
            );
        }
    }
    let api_requests_per_minute = raw
        .api_requests_per_minute
        .unwrap_or(ServerConfig::DEFAULT_API_REQUESTS_PER_MINUTE);
    if api_requests_per_minute == 0 {
        bail!(
            "configuration {} : [server] api_requests_per_minute doit être au moins 1 (requêtes par minute et par jeton)",
            path.display()
        );
    }
    Ok(ServerConfig {
        listen,
        public_url: raw.public_url.map(|u| u.trim_end_matches('/').to_string()),
        api_requests_per_minute,
    })
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

fn validate_schedule(raw: RawSchedule, path: &Path) -> Result<ScheduleConfig> {
    let where_ = format!("configuration {} : [schedule]", path.display());
    if !(1..=28).contains(&raw.day) {
        bail!(
            "{where_} day = {} invalide : un jour de 1 à 28 (présent dans chaque mois)",
            raw.day
        );
    }
    let parsed = raw
        .time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(h, m)| *h < 24 && *m < 60);
    let Some((hour, minute)) = parsed else {
        bail!(
            "{where_} time = « {} » invalide : une heure HH:MM (heure de Paris), par exemple 06:00",
            raw.time
        );
    };
    let sacd_weekday = match raw.sacd_weekday {
        None => None,
        Some(day) => Some(
            WEEKDAYS
                .iter()
                .position(|d| *d == day.trim().to_lowercase())
                .ok_or_else(|| {
                    anyhow!(
                        "{where_} sacd_weekday = « {day} » invalide (un jour : {})",
                        WEEKDAYS.join(", ")
                    )
                })? as u32,
        ),
    };
    Ok(ScheduleConfig {
        day: raw.day,
        hour,
        minute,
        sacd_weekday,
    })
}

fn registry_settings(raw: Option<RawRegistry>, path: &Path) -> Result<RegistrySettings> {
    let mut settings = RegistrySettings::default();
    let Some(raw) = raw else {
        return Ok(settings);
    };
    if let Some(url) = raw.base_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!(
                "configuration {} : [registry] base_url « {url} » invalide (une adresse http:// ou https://, par exemple {})",
                path.display(),
                settings.base_url
            );
        }
        settings.base_url = url.trim_end_matches('/').to_string();
    }
    settings.enabled = raw.enabled.unwrap_or(true);
    Ok(settings)
}

/// `sqlite://relative.db` is relative to the configuration file; other URLs pass through.
fn resolve_database_url(url: &str, base: &Path) -> String {
    match url.strip_prefix("sqlite://") {
        Some(rest) if !rest.starts_with('/') && !rest.starts_with(":memory:") => {
            let (file, query) = match rest.split_once('?') {
                Some((f, q)) => (f, Some(q)),
                None => (rest, None),
            };
            let mut resolved = sqlite_url(&base.join(file));
            if let Some(q) = query {
                resolved.push('?');
                resolved.push_str(q);
            }
            resolved
        }
        _ => url.to_string(),
    }
}

pub fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// toml's message plus the line, in words a user understands.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let message = french_toml_message(error.message().trim());
    match line {
        Some(l) => format!("ligne {l} : {message}"),
        None => message,
    }
}

/// The messages of serde and toml, in French: unknown keys (with the closest admitted key),
/// unknown values, missing keys, wrong types, TOML syntax. Anything else is kept as given,
/// after "syntaxe".
pub(crate) fn french_toml_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        let admitted: Vec<String> = rest
            .split_once(", expected ")
            .map(|(_, e)| admitted_list(e))
            .unwrap_or_default();
        let hint = closest(key, &admitted)
            .map(|k| format!("vouliez-vous dire « {k} » ? "))
            .unwrap_or_default();
        return format!(
            "clé inconnue « {key} » ({hint}clés admises : {})",
            admitted.join(", ")
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or(rest);
        let admitted: Vec<String> = rest
            .split_once(", expected ")
            .map(|(_, e)| admitted_list(e))
            .unwrap_or_default();
        let hint = closest(value, &admitted)
            .map(|k| format!("vouliez-vous dire « {k} » ? "))
            .unwrap_or_default();
        return format!(
            "valeur « {value} » inconnue ({hint}valeurs admises : {})",
            admitted.join(", ")
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("clé obligatoire « {key} » absente");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "type invalide : {} au lieu {}",
            french_kind(found),
            french_expected(expected)
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate key `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("clé « {key} » écrite deux fois");
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "valeur invalide : {} au lieu {}",
            french_kind(found),
            french_expected(expected)
        );
    }
    if message.starts_with("expected") || message.starts_with("invalid") {
        // toml's own wording is English; the line number says where.
        return "syntaxe TOML invalide : vérifiez les guillemets, les « = » et les [tables] de cette ligne"
            .to_string();
    }
    message.to_string()
}

/// `` `a`, `b` `` / `` one of `a`, `b` `` / `` `a` or `b` `` → `["a", "b"]`.
fn admitted_list(expected: &str) -> Vec<String> {
    expected
        .trim_start_matches("one of ")
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The admitted key nearest to a typo (at most two edits, or a different case or separator).
fn closest(typed: &str, admitted: &[String]) -> Option<String> {
    let norm = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    admitted
        .iter()
        .map(|k| {
            let d = if norm(k) == norm(typed) {
                0
            } else {
                edit_distance(&norm(typed), &norm(k))
            };
            (d, k)
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, k)| (*d, (*k).clone()))
        .map(|(_, k)| k.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// serde's "string \"abc\"", "integer `3`", "boolean `true`"… in French.
fn french_kind(found: &str) -> String {
    let (kind, value) = found.split_once(' ').unwrap_or((found, ""));
    let value = value.trim_matches(['`', '"']);
    let kind = match kind {
        "string" => "le texte",
        "integer" => "le nombre",
        "float" => "le nombre décimal",
        "boolean" => "le booléen",
        "sequence" => "une liste",
        "map" => "une table",
        other => other,
    };
    if value.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} « {value} »")
    }
}

fn french_expected(expected: &str) -> String {
    match expected.trim() {
        "a boolean" => "d'un booléen (true ou false)".into(),
        "a string" => "d'un texte entre guillemets".into(),
        "u32" | "u64" | "i64" | "an integer" | "u16" | "u8" => "d'un nombre entier".into(),
        "a sequence" => "d'une liste [ … ]".into(),
        "struct RawDatabase"
        | "struct RawOutput"
        | "struct RawOrganisation"
        | "struct RawSource" => "d'une table".into(),
        "" => "de la valeur attendue".into(),
        other => format!("de : {}", other.replace('`', "")),
    }
}

#[cfg(test)]
mod robustness;

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[organisation]]
slug = "theatre-des-digues"
name = "Théâtre des Digues"
siret = "81234567600009"
subsidised = true

  [[organisation.source]]
  kind = "tickets_csv"
  path = "exports/billetterie.csv"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "exports/autre.csv"

  [[organisation.source]]
  kind = "billetweb"
  base_url = "http://127.0.0.1:9/api"
  credentials_env = "BILLETWEB"
"#;

    #[test]
    fn resolves_paths_against_the_configuration_file() {
        let c = Config::parse(GOOD, Path::new("/etc/releve/releve.toml")).unwrap();
        assert_eq!(c.database_url, "sqlite:///etc/releve/releve.db");
        let s = &c.organisations[0].sources;
        assert_eq!(
            s[0].path.as_deref(),
            Some(Path::new("/etc/releve/exports/billetterie.csv"))
        );
        assert_eq!(s[0].key, "tickets_csv");
        assert_eq!(s[1].key, "tickets_csv#2");
        assert_eq!(s[2].kind, SourceKind::Billetweb);
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let text = GOOD.replace("subsidised = true", "subsidised = true\ncolour = \"blue\"");
        let err = Config::parse(&text, Path::new("/x/releve.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("clé inconnue « colour »"), "{err}");
        assert!(err.contains("ligne 7"), "{err}");
    }

    #[test]
    fn bad_siret_names_the_organisation() {
        let text = GOOD.replace("81234567600009", "81234567600008");
        let err = Config::parse(&text, Path::new("/x/releve.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("theatre-des-digues"), "{err}");
        assert!(err.contains("clé de contrôle"), "{err}");
    }

    #[test]
    fn api_sources_need_credentials_and_files_need_a_path() {
        let text = GOOD.replace("  credentials_env = \"BILLETWEB\"\n", "");
        let err = Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("credentials_env"), "{err}");
        let text = GOOD.replace("  path = \"exports/autre.csv\"\n", "");
        let err = Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("« path » est obligatoire"), "{err}");
        let text = GOOD.replace("kind = \"billetweb\"", "kind = \"billetterie\"");
        let err = Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("type de source « billetterie » inconnu"),
            "{err}"
        );
    }

    #[test]
    fn a_vat_rate_can_be_set_only_for_weezevent() {
        let text = GOOD.replace(
            "credentials_env = \"BILLETWEB\"",
            "credentials_env = \"BILLETWEB\"\n  vat_rate = \"2.1\"",
        );
        let err = Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ne s'applique qu'aux sources weezevent"),
            "{err}"
        );
        let text = text.replace("kind = \"billetweb\"", "kind = \"weezevent\"");
        let c = Config::parse(&text, Path::new("/x/r.toml")).unwrap();
        assert_eq!(
            c.organisations[0].assumed_vat["weezevent"].to_string(),
            "2.1"
        );
        let text = text.replace("vat_rate = \"2.1\"", "vat_rate = \"55\"");
        assert!(Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string()
            .contains("taux de TVA inconnu"));
    }

    #[test]
    fn the_registry_is_on_by_default_and_can_be_turned_off() {
        let c = Config::parse(GOOD, Path::new("/x/r.toml")).unwrap();
        assert_eq!(c.registry, RegistrySettings::default());
        assert!(c.registry.enabled);
        assert_eq!(
            c.registry.base_url,
            "https://recherche-entreprises.api.gouv.fr"
        );
        let text =
            format!("[registry]\nbase_url = \"http://127.0.0.1:9/\"\nenabled = false\n{GOOD}");
        let c = Config::parse(&text, Path::new("/x/r.toml")).unwrap();
        assert!(!c.registry.enabled);
        assert_eq!(c.registry.base_url, "http://127.0.0.1:9");
        let text = format!("[registry]\nbase_url = \"recherche.example\"\n{GOOD}");
        let err = Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("[registry] base_url"), "{err}");
        let text = format!("[registry]\nactive = true\n{GOOD}");
        let err = Config::parse(&text, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("clé inconnue « active »"), "{err}");
    }

    #[test]
    fn server_schedule_funders_and_sharing() {
        let text = format!(
            "[server]\nlisten = \"0.0.0.0:9000\"\npublic_url = \"https://releve.example.org/\"\n\
             [schedule]\nday = 5\ntime = \"06:30\"\nsacd_weekday = \"Lundi\"\n\
             [[funder]]\nslug = \"drac-pdl\"\nname = \"DRAC\"\nkind = \"etat\"\n{}",
            GOOD.replace(
                "subsidised = true",
                "subsidised = true\nshare_with_ministry = true\nshare_indicators_with = [\"drac-pdl\"]\ncontact_email = \"admin@digues.fr\""
            )
        );
        let c = Config::parse(&text, Path::new("/x/r.toml")).unwrap();
        assert_eq!(c.server.listen, "0.0.0.0:9000");
        assert_eq!(
            c.server.public_url.as_deref(),
            Some("https://releve.example.org")
        );
        assert!(c.server.secure_cookies());
        let s = c.schedule.unwrap();
        assert_eq!(
            (s.day, s.hour, s.minute, s.sacd_weekday),
            (5, 6, 30, Some(0))
        );
        assert_eq!(c.funders[0].slug, "drac-pdl");
        let o = &c.organisations[0];
        assert!(o.share_with_ministry);
        assert_eq!(o.share_indicators_with, vec!["drac-pdl"]);
        assert_eq!(o.contact_email.as_deref(), Some("admin@digues.fr"));

        let unknown = text.replace("[\"drac-pdl\"]", "[\"region\"]");
        let err = Config::parse(&unknown, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("financeur « region »"), "{err}");
        let bad_time = text.replace("06:30", "25:00");
        let err = Config::parse(&bad_time, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("time = « 25:00 » invalide"), "{err}");
        let defaults = Config::parse(GOOD, Path::new("/x/r.toml")).unwrap();
        assert_eq!(defaults.server.listen, "127.0.0.1:8080");
        assert!(!defaults.server.secure_cookies());
        assert!(defaults.schedule.is_none());
    }

    #[test]
    fn sources_may_be_named_and_names_are_unique() {
        let text = GOOD.replace(
            "  path = \"exports/autre.csv\"",
            "  name = \"guichet\"\n  path = \"exports/autre.csv\"",
        );
        let c = Config::parse(&text, Path::new("/x/r.toml")).unwrap();
        assert_eq!(c.organisations[0].sources[1].key, "guichet");
        let clash = GOOD.replace(
            "  path = \"exports/autre.csv\"",
            "  name = \"tickets_csv\"\n  path = \"exports/autre.csv\"",
        );
        let err = Config::parse(&clash, Path::new("/x/r.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("« tickets_csv » est déjà utilisé"), "{err}");
    }

    #[test]
    fn database_urls() {
        let text = format!("[database]\nurl = \"postgres://u@h/db\"\n{GOOD}");
        assert_eq!(
            Config::parse(&text, Path::new("/x/r.toml"))
                .unwrap()
                .database_url,
            "postgres://u@h/db"
        );
        let text = format!("[database]\nurl = \"sqlite://data/r.db\"\n{GOOD}");
        assert_eq!(
            Config::parse(&text, Path::new("/x/r.toml"))
                .unwrap()
                .database_url,
            "sqlite:///x/data/r.db"
        );
    }
}
