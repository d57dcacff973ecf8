//! Lookups: the store's cache first, the register when the cached answer is missing, older
//! than 30 days or a refresh is asked for; nothing at all when `[registry] enabled = false`.
//!
//! The first outage of the register (network, timeout, throttling beyond what the HTTP layer
//! waits for, server error) is remembered: later lookups of the same process go to the cache
//! only, so a run with the register down costs one failed call, says so once, and goes on.
//! An older cached answer is still used then (its date says how old). A cached answer whose
//! hash no longer matches its body is ignored and fetched again.

use crate::config::RegistrySettings;
use crate::lifecycle::sha256_hex;
use chrono::{DateTime, Duration, Utc};
use releve_collectors::http::Sleeper;
use releve_collectors::registry::{
    parse_answer, Company, CompanyNumber, Finding, RegistryClient, RegistryConfig, RegistryError,
};
use releve_store::{RegistryAnswer, Store};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// A cached answer is used as it is for this long; after, it is fetched again.
pub const FRESH_FOR_DAYS: i64 = 30;

/// What releve knows of one number after a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Consultation {
    Found {
        company: Box<Company>,
        consulted_at: DateTime<Utc>,
        from_cache: bool,
    },
    NotFound {
        consulted_at: DateTime<Utc>,
        from_cache: bool,
    },
    /// No usable answer (register unreachable and nothing cached, malformed answer…).
    Unavailable { reason: String },
    /// `[registry] enabled = false`.
    Disabled,
}

impl Consultation {
    pub fn company(&self) -> Option<&Company> {
        match self {
            Consultation::Found { company, .. } => Some(company),
            _ => None,
        }
    }

    pub fn consulted_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Consultation::Found { consulted_at, .. }
            | Consultation::NotFound { consulted_at, .. } => Some(*consulted_at),
            _ => None,
        }
    }
}

enum Mode {
    Disabled,
    /// Cache only (the demo: never the network).
    Offline,
    Live(Box<RegistryClient>),
}

/// The register as one process uses it.
pub struct Register {
    mode: Mode,
    /// `false` for `releve check`, which writes nothing.
    save: bool,
    now: DateTime<Utc>,
    outage: Mutex<Option<String>>,
}

impl Register {
    pub fn new(
        settings: &RegistrySettings,
        sleeper: Arc<dyn Sleeper>,
        now: DateTime<Utc>,
    ) -> Register {
        let mode = if !settings.enabled {
            Mode::Disabled
        } else if settings.offline {
            Mode::Offline
        } else {
            Mode::Live(Box::new(RegistryClient::new(
                RegistryConfig::new(&settings.base_url),
                sleeper,
            )))
        };
        Register {
            mode,
            save: true,
            now,
            outage: Mutex::new(None),
        }
    }

    /// Lookups that read the cache but never write it.
    pub fn read_only(mut self) -> Register {
        self.save = false;
        self
    }

    pub fn is_enabled(&self) -> bool {
        !matches!(self.mode, Mode::Disabled)
    }

    /// The first outage of this process, in French, if the register could not be reached.
    pub fn outage(&self) -> Option<String> {
        self.outage.lock().expect("registry outage lock").clone()
    }

    /// What the register says of `number`; `refresh` asks the register even when the cached
    /// answer is recent.
    /// Without a store (`releve check`, which must not even create the database), the
    /// register is asked directly and nothing is cached.
    pub async fn consult(
        &self,
        store: Option<&Store>,
        number: &CompanyNumber,
        refresh: bool,
    ) -> Consultation {
        if matches!(self.mode, Mode::Disabled) {
            return Consultation::Disabled;
        }
        let read = match store {
            Some(store) => store.registry_answer(number.digits()).await,
            None => Ok(None),
        };
        let cached = match read {
            Ok(c) => c.filter(|a| {
                let intact = sha256_hex(a.body.as_bytes()) == a.sha256;
                if !intact {
                    tracing::warn!(number = %number, "cached register answer does not match its hash; ignored");
                }
                intact
            }),
            Err(e) => {
                tracing::warn!(error = %e, "register cache unreadable");
                None
            }
        };
        let fresh = cached
            .as_ref()
            .is_some_and(|a| self.now - a.fetched_at < Duration::days(FRESH_FOR_DAYS));
        let client = match &self.mode {
            Mode::Live(client) if (refresh || !fresh) && self.outage().is_none() => client,
            _ => return from_cache(number, cached.as_ref(), self.outage()),
        };
        let raw = match client.search(number).await {
            Ok(raw) => raw,
            Err(e) => {
                tracing::warn!(number = %number, error = %e, "register lookup failed");
                if e.is_outage() {
                    let detail = match &e {
                        RegistryError::Unreachable(http) => http.to_string(),
                        other => other.to_string(),
                    };
                    self.outage
                        .lock()
                        .expect("registry outage lock")
                        .get_or_insert(detail);
                }
                return from_cache(number, cached.as_ref(), Some(e.to_string()));
            }
        };
        let finding = match parse_answer(number, &raw.body) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(number = %number, error = %e, "register answer unreadable");
                return from_cache(number, cached.as_ref(), Some(e.to_string()));
            }
        };
        if let (true, Some(store)) = (self.save, store) {
            let answer = RegistryAnswer {
                number: number.digits().to_string(),
                request: raw.request,
                sha256: sha256_hex(raw.body.as_bytes()),
                body: raw.body,
                fetched_at: self.now,
            };
            if let Err(e) = store.save_registry_answer(&answer).await {
                tracing::warn!(error = %e, "register answer not cached");
            }
        }
        consultation(finding, self.now, false)
    }

    /// Looks up every number once (the order of the map: deterministic).
    pub async fn consult_all(
        &self,
        store: &Store,
        numbers: impl IntoIterator<Item = CompanyNumber>,
    ) -> BTreeMap<String, Consultation> {
        let mut view = BTreeMap::new();
        for number in numbers {
            if view.contains_key(number.digits()) {
                continue;
            }
            let c = self.consult(Some(store), &number, false).await;
            view.insert(number.digits().to_string(), c);
        }
        view
    }
}

fn consultation(finding: Finding, at: DateTime<Utc>, from_cache: bool) -> Consultation {
    match finding {
        Finding::Found(company) => Consultation::Found {
            company,
            consulted_at: at,
            from_cache,
        },
        Finding::NotFound => Consultation::NotFound {
            consulted_at: at,
            from_cache,
        },
    }
}

fn from_cache(
    number: &CompanyNumber,
    cached: Option<&RegistryAnswer>,
    failure: Option<String>,
) -> Consultation {
    let unavailable = || Consultation::Unavailable {
        reason: failure.clone().unwrap_or_else(|| {
            format!(
                "aucune réponse enregistrée du répertoire des entreprises pour le {} {}",
                number.kind(),
                number.grouped()
            )
        }),
    };
    match cached {
        None => unavailable(),
        Some(answer) => match parse_answer(number, &answer.body) {
            Ok(finding) => consultation(finding, answer.fetched_at, true),
            Err(_) => unavailable(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use releve_collectors::http::RecordingSleeper;
    use releve_collectors::replay::{ReplayServer, Reply, Route, Script};

    const ACTIVE: &str = include_str!("../../fixtures/registry/active-licence.json");
    const NOT_FOUND: &str = include_str!("../../fixtures/registry/not-found.json");

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn settings(base: &str) -> RegistrySettings {
        RegistrySettings {
            base_url: base.to_string(),
            enabled: true,
            offline: false,
        }
    }

    fn register(base: &str, now: &str) -> Register {
        Register::new(
            &settings(base),
            Arc::new(RecordingSleeper::new(at(now))),
            at(now),
        )
    }

    async fn server() -> ReplayServer {
        ReplayServer::start(
            Script::new().route(Route::get("/search").reply(Reply::json(200, ACTIVE))),
        )
        .await
        .unwrap()
    }

    fn number() -> CompanyNumber {
        CompanyNumber::parse("91234561800025").unwrap()
    }

    #[tokio::test]
    async fn the_cache_is_used_for_30_days_then_refreshed() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let server = server().await;
        let first = register(server.base_url(), "2026-11-01T10:00:00Z");
        let c = first.consult(Some(&store), &number(), false).await;
        assert_eq!(c.consulted_at(), Some(at("2026-11-01T10:00:00Z")));
        let cached = store
            .registry_answer("91234561800025")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cached.body, ACTIVE);
        assert_eq!(cached.sha256, sha256_hex(ACTIVE.as_bytes()));
        // 29 days later: the cached answer, its date, no call.
        let later = register(server.base_url(), "2026-11-30T10:00:00Z");
        let c = later.consult(Some(&store), &number(), false).await;
        assert!(
            matches!(
                c,
                Consultation::Found {
                    from_cache: true,
                    ..
                }
            ),
            "{c:?}"
        );
        assert_eq!(c.consulted_at(), Some(at("2026-11-01T10:00:00Z")));
        assert_eq!(server.requests().len(), 1);
        // On demand: asked again at once.
        let c = later.consult(Some(&store), &number(), true).await;
        assert_eq!(c.consulted_at(), Some(at("2026-11-30T10:00:00Z")));
        assert_eq!(server.requests().len(), 2);
        // 30 days after that answer: stale, fetched again.
        let stale = register(server.base_url(), "2026-12-30T10:00:00Z");
        let c = stale.consult(Some(&store), &number(), false).await;
        assert!(
            matches!(
                c,
                Consultation::Found {
                    from_cache: false,
                    ..
                }
            ),
            "{c:?}"
        );
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn a_register_down_uses_an_old_answer_and_is_asked_once() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let server = server().await;
        register(server.base_url(), "2026-09-01T10:00:00Z")
            .consult(Some(&store), &number(), false)
            .await;
        // Three months later the register is unreachable.
        let down = register("http://127.0.0.1:1", "2026-12-03T10:00:00Z");
        let c = down.consult(Some(&store), &number(), false).await;
        assert_eq!(c.consulted_at(), Some(at("2026-09-01T10:00:00Z")));
        let outage = down.outage().expect("outage remembered");
        assert!(outage.contains("impossible de joindre"), "{outage}");
        // Another number in the same run: not asked, nothing cached, no answer.
        let other = CompanyNumber::parse("912345618").unwrap();
        let c = down.consult(Some(&store), &other, false).await;
        assert!(matches!(c, Consultation::Unavailable { .. }), "{c:?}");
    }

    #[tokio::test]
    async fn a_tampered_cache_entry_is_fetched_again_and_disabled_means_nothing() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let server = ReplayServer::start(
            Script::new().route(Route::get("/search").reply(Reply::json(200, NOT_FOUND))),
        )
        .await
        .unwrap();
        store
            .save_registry_answer(&RegistryAnswer {
                number: "91234561800025".into(),
                request: "GET /search?q=91234561800025".into(),
                body: ACTIVE.into(),
                sha256: "0".repeat(64),
                fetched_at: at("2026-12-01T10:00:00Z"),
            })
            .await
            .unwrap();
        let r = register(server.base_url(), "2026-12-03T10:00:00Z");
        let c = r.consult(Some(&store), &number(), false).await;
        assert!(
            matches!(
                c,
                Consultation::NotFound {
                    from_cache: false,
                    ..
                }
            ),
            "{c:?}"
        );
        assert_eq!(server.requests().len(), 1);

        let mut off = settings(server.base_url());
        off.enabled = false;
        let r = Register::new(
            &off,
            Arc::new(RecordingSleeper::new(Utc::now())),
            Utc::now(),
        );
        assert_eq!(
            r.consult(Some(&store), &number(), true).await,
            Consultation::Disabled
        );
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn offline_reads_the_cache_only() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let mut s = settings("http://127.0.0.1:1");
        s.offline = true;
        let r = Register::new(&s, Arc::new(RecordingSleeper::new(Utc::now())), Utc::now());
        let c = r.consult(Some(&store), &number(), true).await;
        assert!(matches!(c, Consultation::Unavailable { .. }), "{c:?}");
        assert_eq!(r.outage(), None);
    }
}
