//! Reading an answer of the register (pure): the legal unit of the number asked, interpreted as
//! a [`Company`]. Unknown fields are ignored and every known one is optional, so a register that
//! adds or omits a field does not break a lookup; an answer that is not the expected JSON at
//! all is [`RegistryError::Malformed`].

use super::error::RegistryError;
use super::number::CompanyNumber;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
struct Answer {
    results: Vec<RawUnit>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawUnit {
    siren: Option<String>,
    nom_complet: Option<String>,
    nom_raison_sociale: Option<String>,
    sigle: Option<String>,
    nature_juridique: Option<String>,
    activite_principale: Option<String>,
    etat_administratif: Option<String>,
    siege: Option<RawEstablishment>,
    matching_etablissements: Vec<RawEstablishment>,
    complements: RawComplements,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawEstablishment {
    siret: Option<String>,
    adresse: Option<String>,
    code_postal: Option<String>,
    libelle_commune: Option<String>,
    etat_administratif: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawComplements {
    est_entrepreneur_spectacle: Option<bool>,
    statut_entrepreneur_spectacle: Option<String>,
    est_service_public: Option<bool>,
    est_collectivite_territoriale: Option<bool>,
    est_association: Option<bool>,
    est_ess: Option<bool>,
}

/// An establishment's address and state, as the register gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Address {
    pub siret: Option<String>,
    /// The whole address on one line, as the register writes it (street, postal code, city).
    pub line: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// `Some(false)` when the register says the establishment is closed (`C`).
    pub active: Option<bool>,
}

impl Address {
    /// The street part of the register's one-line address: what remains once the postal code
    /// and the city, which releve keeps in their own fields, are taken off the end.
    pub fn street(&self) -> Option<String> {
        let line = self.line.as_deref()?.trim();
        let cut = self
            .postal_code
            .as_deref()
            .and_then(|pc| line.rfind(pc))
            .map(|i| line[..i].trim_end().trim_end_matches(',').trim_end())
            .unwrap_or(line);
        (!cut.is_empty()).then(|| cut.to_string())
    }
}

/// What the register says of one legal unit, for the number that was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Company {
    pub siren: String,
    /// The legal name (`nom_raison_sociale`, else `nom_complet`).
    pub name: String,
    /// `nom_complet` (legal name with the acronym), when it differs from `name`.
    pub full_name: Option<String>,
    pub acronym: Option<String>,
    /// INSEE legal category code (`5710` SAS, `9220` association, `7210` commune…).
    pub legal_category: Option<String>,
    /// NAF code of the main activity (`90.01Z` arts du spectacle vivant…).
    pub activity: Option<String>,
    /// The legal unit is active (`etat_administratif = A`).
    pub active: bool,
    pub head_office: Option<Address>,
    /// For a SIRET: the establishment asked, when the answer lists it.
    pub establishment: Option<Address>,
    /// Holds a live-show licence (`est_entrepreneur_spectacle`); `None` when not said.
    pub live_show_licence: Option<bool>,
    /// The licence / récépissé status text, when there is one.
    pub licence_status: Option<String>,
    pub public_service: bool,
    pub local_authority: bool,
    pub association: bool,
    pub social_economy: bool,
}

impl Company {
    /// A public legal person (INSEE category 7xxx), a local authority or a public service —
    /// but never an association, which may carry a public-service mission without being a
    /// public body (the ASTP rule asks about public or subsidised producers, and an
    /// association's subsidies are not in the register).
    pub fn is_public_body(&self) -> bool {
        if self.association {
            return false;
        }
        self.local_authority
            || self.public_service
            || self
                .legal_category
                .as_deref()
                .is_some_and(|c| c.starts_with('7'))
    }

    /// The establishment asked is closed, or the whole legal unit has ceased.
    pub fn is_ceased(&self) -> bool {
        !self.active || self.establishment.as_ref().and_then(|e| e.active) == Some(false)
    }

    /// The legal category in words (the family for codes without their own label).
    pub fn legal_category_label(&self) -> Option<String> {
        let code = self.legal_category.as_deref()?;
        let label = match code {
            "1000" => "entrepreneur individuel",
            "5499" => "société à responsabilité limitée (SARL)",
            "5498" => "SARL unipersonnelle (EURL)",
            "5710" => "société par actions simplifiée (SAS)",
            "5720" => "SAS unipersonnelle (SASU)",
            "5599" | "5505" | "5510" => "société anonyme (SA)",
            "5458" | "5460" => "société coopérative",
            "9210" => "association non déclarée",
            "9220" => "association déclarée",
            "9230" => "association reconnue d'utilité publique",
            "7210" => "commune",
            "7220" => "département",
            "7230" => "région",
            "7229" => "collectivité territoriale",
            "7346" => "communauté de communes",
            "7344" => "communauté d'agglomération",
            "7343" => "communauté urbaine",
            "7361" => "centre communal d'action sociale",
            "7364" => "régie d'une collectivité locale",
            "7372" => "service départemental",
            "7383" => "établissement public local culturel",
            "7389" => "établissement public national à caractère administratif",
            "7490" => "autre personne morale de droit administratif",
            _ => match code.chars().next() {
                Some('1') => "personne physique",
                Some('2') => "groupement sans personnalité morale",
                Some('3') => "personne morale de droit étranger",
                Some('4') => "établissement public à caractère industriel et commercial",
                Some('5') => "société commerciale",
                Some('6') => "autre personne morale immatriculée au RCS",
                Some('7') => "personne morale de droit public",
                Some('8') => "organisme privé spécialisé",
                Some('9') => "groupement de droit privé",
                _ => return Some(code.to_string()),
            },
        };
        Some(format!("{label} ({code})"))
    }

    /// The address to show for the number asked: its establishment, else the head office.
    pub fn address(&self) -> Option<&Address> {
        self.establishment.as_ref().or(self.head_office.as_ref())
    }
}

/// What an answer says of the number asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Finding {
    Found(Box<Company>),
    /// No legal unit with this SIREN in the answer (unknown, or not public).
    NotFound,
}

/// Reads an answer of `GET /search?q=NUMBER` for `number`.
pub fn parse_answer(number: &CompanyNumber, body: &str) -> Result<Finding, RegistryError> {
    let answer: Answer = serde_json::from_str(body).map_err(|e| RegistryError::Malformed {
        number: number.digits().to_string(),
        detail: e.to_string(),
    })?;
    let Some(unit) = answer
        .results
        .into_iter()
        .find(|u| u.siren.as_deref() == Some(number.siren()))
    else {
        return Ok(Finding::NotFound);
    };
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let head_office = unit.siege.map(address);
    let establishment = match number {
        CompanyNumber::Siren(_) => None,
        CompanyNumber::Siret(siret) => unit
            .matching_etablissements
            .into_iter()
            .map(address)
            .chain(head_office.clone())
            .find(|a| a.siret.as_deref() == Some(siret.as_str())),
    };
    let full_name = nonempty(unit.nom_complet);
    let name = nonempty(unit.nom_raison_sociale)
        .or(full_name.clone())
        .unwrap_or_default();
    let c = unit.complements;
    Ok(Finding::Found(Box::new(Company {
        siren: number.siren().to_string(),
        full_name: full_name.filter(|f| *f != name),
        name,
        acronym: nonempty(unit.sigle),
        legal_category: nonempty(unit.nature_juridique),
        activity: nonempty(unit.activite_principale),
        active: unit.etat_administratif.as_deref() != Some("C"),
        head_office,
        establishment,
        live_show_licence: c.est_entrepreneur_spectacle,
        licence_status: nonempty(c.statut_entrepreneur_spectacle),
        public_service: c.est_service_public.unwrap_or(false),
        local_authority: c.est_collectivite_territoriale.unwrap_or(false),
        association: c.est_association.unwrap_or(false),
        social_economy: c.est_ess.unwrap_or(false),
    })))
}

fn address(raw: RawEstablishment) -> Address {
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Address {
        siret: clean(raw.siret),
        line: clean(raw.adresse),
        postal_code: clean(raw.code_postal),
        city: clean(raw.libelle_commune),
        active: raw.etat_administratif.map(|e| e != "F" && e != "C"),
    }
}
