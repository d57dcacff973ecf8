//! What the register says of one number, ready to show: the library function behind
//! `releve siret` and the workspace's producer page.

use super::lookup::{Consultation, Register};
use super::source::{according_to, one_line};
use anyhow::{anyhow, Result};
use releve_collectors::registry::{Address, Company, CompanyNumber};
use releve_store::Store;

/// One number and what the register says of it, with the source and date of the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiretReport {
    pub number: CompanyNumber,
    pub consultation: Consultation,
}

/// Looks `number` up (cache, then the register unless `refresh`… see [`Register::consult`]).
/// An invalid number is an error (French, says why); an unreachable register is not: the
/// report says so.
pub async fn describe(
    register: &Register,
    store: &Store,
    number: &str,
    refresh: bool,
) -> Result<SiretReport> {
    let number = CompanyNumber::parse(number).map_err(|e| anyhow!("{e}"))?;
    let consultation = register.consult(Some(store), &number, refresh).await;
    Ok(SiretReport {
        number,
        consultation,
    })
}

/// [`describe`] for a caller that has the configuration and a store (the workspace's producer
/// page): the register as configured, real waiting, `now` for the cache's age.
pub async fn describe_with_config(
    config: &crate::config::Config,
    store: &Store,
    number: &str,
    refresh: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SiretReport> {
    let register = Register::new(
        &config.registry,
        std::sync::Arc::new(releve_collectors::http::TokioSleeper),
        now,
    );
    describe(&register, store, number, refresh).await
}

impl SiretReport {
    pub fn company(&self) -> Option<&Company> {
        self.consultation.company()
    }

    /// The heading: `SIRET 912 345 618 00025`.
    pub fn title(&self) -> String {
        format!("{} {}", self.number.kind(), self.number.grouped())
    }

    /// Label and value, in French, in the order they are shown.
    pub fn lines(&self) -> Vec<(String, String)> {
        let Some(c) = self.company() else {
            return Vec::new();
        };
        let yes_no = |b: bool| if b { "oui" } else { "non" }.to_string();
        let mut lines = vec![("Nom".to_string(), c.name.clone())];
        if let Some(full) = &c.full_name {
            lines.push(("Nom complet".into(), full.clone()));
        }
        if let Some(acronym) = &c.acronym {
            lines.push(("Sigle".into(), acronym.clone()));
        }
        lines.push((
            "Forme juridique".into(),
            c.legal_category_label()
                .unwrap_or_else(|| "non indiquée".into()),
        ));
        if let Some(naf) = &c.activity {
            lines.push(("Activité (NAF)".into(), naf.clone()));
        }
        lines.push((
            "État".into(),
            if c.active { "active" } else { "cessée" }.to_string(),
        ));
        if self.number.is_siret() {
            lines.push((
                "Établissement".into(),
                match &c.establishment {
                    Some(e) => format!("{}{}", address(e), state(e)),
                    None => "absent de la réponse du répertoire".into(),
                },
            ));
        }
        if let Some(h) = &c.head_office {
            let siret = h
                .siret
                .as_deref()
                .and_then(|s| CompanyNumber::parse(s).ok())
                .map(|s| format!(" (SIRET {})", s.grouped()))
                .unwrap_or_default();
            lines.push(("Siège".into(), format!("{}{siret}", address(h))));
        }
        lines.push((
            "Licence de spectacles".into(),
            match (c.live_show_licence, &c.licence_status) {
                (Some(true), Some(s)) => format!("oui (statut : {s})"),
                (Some(true), None) => "oui".into(),
                (_, Some(s)) => format!("non (statut : {s})"),
                (Some(false), None) => "non".into(),
                (None, None) => "non indiquée".into(),
            },
        ));
        lines.push(("Organisme public".into(), yes_no(c.is_public_body())));
        lines.push((
            "Collectivité territoriale".into(),
            yes_no(c.local_authority),
        ));
        lines.push(("Association".into(), yes_no(c.association)));
        lines.push((
            "Économie sociale et solidaire".into(),
            yes_no(c.social_economy),
        ));
        lines
    }

    /// « Source : selon le répertoire des entreprises, consulté le … (réponse enregistrée) »,
    /// or why there is no answer.
    pub fn source_text(&self) -> String {
        match &self.consultation {
            Consultation::Found { consulted_at, from_cache, .. }
            | Consultation::NotFound { consulted_at, from_cache } => format!(
                "Source : {}{}.",
                according_to(*consulted_at),
                if *from_cache { " (réponse enregistrée)" } else { "" }
            ),
            Consultation::Unavailable { reason } => format!("Pas de réponse : {reason}."),
            Consultation::Disabled => {
                "Le répertoire des entreprises est désactivé ([registry] enabled = false dans la configuration).".into()
            }
        }
    }
}

fn address(a: &Address) -> String {
    let street = a.street();
    let text = one_line(
        street.as_deref(),
        a.postal_code.as_deref(),
        a.city.as_deref(),
    );
    if text.is_empty() {
        "adresse non indiquée".into()
    } else {
        text
    }
}

fn state(a: &Address) -> &'static str {
    match a.active {
        Some(true) => " (ouvert)",
        Some(false) => " (fermé)",
        None => "",
    }
}
