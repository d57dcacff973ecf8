//! The bodies that receive declarations.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Sibil,
    Cnm,
    Astp,
    Sacem,
    Sacd,
}

impl Body {
    pub fn code(self) -> &'static str {
        match self {
            Body::Sibil => "sibil",
            Body::Cnm => "cnm",
            Body::Astp => "astp",
            Body::Sacem => "sacem",
            Body::Sacd => "sacd",
        }
    }

    /// Who receives it, in French.
    pub fn recipient_fr(self) -> &'static str {
        match self {
            Body::Sibil => "Ministère de la Culture (SIBIL)",
            Body::Cnm => "Centre national de la musique (CNM)",
            Body::Astp => "Association pour le soutien du théâtre privé (ASTP)",
            Body::Sacem => "SACEM, délégation régionale",
            Body::Sacd => "SACD",
        }
    }

    /// What it is, in French.
    pub fn title_fr(self) -> &'static str {
        match self {
            Body::Sibil => "Déclaration de billetterie SIBIL",
            Body::Cnm => "Taxe sur les spectacles vivants — fraction variétés (CNM)",
            Body::Astp => "Taxe sur les spectacles vivants — fraction art dramatique, lyrique et chorégraphique (ASTP)",
            Body::Sacem => "État des recettes et des dépenses (SACEM)",
            Body::Sacd => "Bordereau de recettes (SACD)",
        }
    }
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
