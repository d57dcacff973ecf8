//! The SIBIL model, serialised as `sibil.json` (`formats.md` §5.3). The declaration entries use
//! the field names of the Ministry's `DeclarationDTO` (API v2), so that the file reads like
//! what is sent; fields we add for readers (`performance_id`) come last. Add, never rename.
//! Declarations also deserialise: the submission outbox sends them from the approved model.

use chrono::NaiveDate;
use releve_domain::{Money, Month, Quarter};
use serde::{Deserialize, Serialize};

/// `statutDeclaration`: we only ever send these two values of the SIBIL enum
/// (`BROUILLON | ENREGISTRE | CLOTURE | REJETE | ANNULE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Enregistre,
    Annule,
}

/// `lieuChamps` (`LieuDTO`): the venue, proposed to (or matched in) the SIBIL referential.
/// SIBIL requires every field; a missing one is `null` here and a warning in the draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lieu {
    pub nom: String,
    pub adresse: Option<String>,
    pub code_postal: Option<String>,
    pub ville: Option<String>,
    /// One of [`VENUE_TYPES`]; `AUTRE` only when the venue type is unknown (with a warning).
    pub type_lieu: String,
}

/// `spectacleChamps` (`SpectacleDTO`): critère 1 is the title; critère 2 the producer with its
/// SIREN (SIBIL expects "conception" there; the producer is the only thing we know for sure).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spectacle {
    pub critere1: String,
    pub critere2: Option<String>,
}

/// One SIBIL declaration: one performance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SibilDeclaration {
    /// Our idempotency key, see [`super::external_id`].
    pub id_ext_billetterie: String,
    /// RFC 3339 with the Paris offset (`2025-11-14T20:30:00+01:00`).
    pub date_heure_representation_unique: String,
    /// Always 1: one declaration per performance never spans two quarters.
    pub nb_representations: u32,
    /// Paid + free.
    pub nb_billets_total_billetterie: u64,
    /// Receipts including VAT.
    pub recette_total_billetterie: Money,
    /// round_half_up(incl / paid, 2); `0.00` without paid ticket.
    pub prix_moyen_total_billetterie: Money,
    pub nb_billets_tarif_plein: u64,
    pub recette_tarif_plein: Money,
    pub prix_moyen_tarif_plein: Money,
    pub nb_billets_tarif_abonnement_forfait: u64,
    pub nb_billets_exoneres: u64,
    /// `null` when the capacity is unknown (a warning says so).
    pub jauge: Option<u32>,
    pub jeune_public: bool,
    /// The SIBIL domain label, under the API's field name; the channel sends the matching
    /// `domaineRepresentationId` of the live list instead.
    pub domaine_representation_libelle: String,
    pub lieu_champs: Lieu,
    pub spectacle_champs: Spectacle,
    pub statut_declaration: Status,
    /// Shared ticketing management: we declare our own ticketing only.
    pub gestionnaire_multiple: bool,
    /// Added for readers: the performance this declaration is about.
    #[serde(rename = "performance_id")]
    pub performance_id: String,
}

/// `sibil.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SibilFile {
    pub schema_version: u32,
    pub organisation: String,
    pub month: Month,
    /// The calendar quarter of the month (`2025-Q4`): every declaration of the file lies in it.
    pub quarter: Quarter,
    /// The last day on time: décret 2017-926 says "before the 10th" of the month after the
    /// quarter, so the 9th (dated rule `sibil_deadline_day`).
    pub deadline: NaiveDate,
    pub declarations: Vec<SibilDeclaration>,
}

/// The `typeLieu` values of the SIBIL API.
pub const VENUE_TYPES: [&str; 10] = [
    "THEATRE",
    "ESPACE_POLYVALENT",
    "CASINO_DISCOTHEQUE_HOTEL_CAFE_RESTAURANT",
    "SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH",
    "CABARET_MUSIC_HALL",
    "PLEIN_AIR_PARC_LOISIRS_ATTRACTION",
    "STRUCTURE_ITINERANTE_DEMONTABLE_CHAPITEAU",
    "LIEU_DE_CULTE",
    "LIEU_DE_SANTE",
    "AUTRE",
];
