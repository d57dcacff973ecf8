//! The fields a person may correct on a performance (formats.md §6 "Corrections"), with their
//! French label, the kind of input, and the value the source gives, written in the programme
//! syntax of formats.md §4 (`yes`/`no`, `300`, `2000.00`) so that it can be compared with, and
//! copied into, a correction.

use releve_domain::{Discipline, PerformanceFacts, ProgrammeEntry};
use serde::Serialize;

/// One correctable field as the performance page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FieldRow {
    /// The field name of formats.md §6.
    pub field: &'static str,
    pub label: &'static str,
    /// `select` (with `options`) or `text`.
    pub input: &'static str,
    pub options: Vec<(String, String)>,
    /// What the programme row says (`None`: no programme row, or the column is empty).
    pub source_value: Option<String>,
    /// What the figures use now (after any correction).
    pub current_value: Option<String>,
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn yes_no_options() -> Vec<(String, String)> {
    vec![
        ("yes".to_string(), "oui".to_string()),
        ("no".to_string(), "non".to_string()),
    ]
}

fn code_of<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// Every field of formats.md §6, in the order of the programme columns.
pub fn rows(facts: &PerformanceFacts, programme: Option<&ProgrammeEntry>) -> Vec<FieldRow> {
    let p = programme;
    let producer = p.and_then(|p| p.producer.as_ref());
    let now_producer = facts.producer.as_ref();
    let disciplines = Discipline::ALL
        .iter()
        .map(|d| (d.code().to_string(), d.code().replace('_', " ")))
        .collect();
    let mut rows = vec![
        select(
            "discipline",
            "Discipline",
            disciplines,
            p.map(|p| p.discipline.code().to_string()),
            facts.discipline.map(|d| d.code().to_string()),
        ),
        select(
            "audience",
            "Public",
            vec![
                ("tout_public".into(), "tout public".into()),
                ("jeune_public".into(), "jeune public".into()),
                ("scolaire".into(), "scolaire".into()),
            ],
            p.and_then(|p| code_of(&p.audience)),
            code_of(&facts.audience),
        ),
        text(
            "capacity",
            "Jauge (places en vente)",
            p.and_then(|p| p.capacity).map(|c| c.to_string()),
            facts.capacity.map(|c| c.to_string()),
        ),
        text(
            "venue_type",
            "Type de lieu (SIBIL)",
            p.and_then(|p| p.venue.venue_type.clone()),
            facts.venue.venue_type.clone(),
        ),
        text(
            "producer_name",
            "Producteur : nom",
            producer.map(|x| x.name.clone()),
            now_producer.map(|x| x.name.clone()),
        ),
        text(
            "producer_siret",
            "Producteur : SIRET",
            producer.and_then(|x| x.siret.clone()),
            now_producer.and_then(|x| x.siret.clone()),
        ),
        select(
            "producer_subsidised",
            "Producteur public ou subventionné",
            yes_no_options(),
            producer.and_then(|x| x.subsidised).map(yes_no),
            now_producer.and_then(|x| x.subsidised).map(yes_no),
        ),
        select(
            "free_admission",
            "Entrée gratuite",
            yes_no_options(),
            p.map(|p| yes_no(p.free_admission)),
            Some(yes_no(facts.free_admission)),
        ),
        text(
            "cession_price_excl_vat",
            "Prix de cession HT",
            p.and_then(|p| p.cession_price_excl_vat)
                .map(|m| m.to_string()),
            facts.cession_price_excl_vat.map(|m| m.to_string()),
        ),
        select(
            "sacem",
            "Répertoire SACEM",
            yes_no_options(),
            p.and_then(|p| p.sacem).map(yes_no),
            facts.sacem_override.map(yes_no),
        ),
        select(
            "sacd",
            "Répertoire SACD",
            yes_no_options(),
            p.and_then(|p| p.sacd).map(yes_no),
            facts.sacd_override.map(yes_no),
        ),
        select(
            "creation",
            "Création",
            yes_no_options(),
            p.map(|p| yes_no(p.creation)),
            Some(yes_no(facts.creation)),
        ),
        select(
            "cancelled",
            "Annulée",
            yes_no_options(),
            p.map(|p| yes_no(p.cancelled)),
            Some(yes_no(facts.cancelled)),
        ),
        select(
            "tax_fraction",
            "Taxe (CNM ou ASTP) pour une discipline à examiner",
            vec![
                ("cnm".into(), "CNM".into()),
                ("astp".into(), "ASTP".into()),
                ("none".into(), "aucune".into()),
            ],
            p.and_then(|p| p.tax_fraction).and_then(|f| code_of(&f)),
            facts.tax_fraction_override.and_then(|f| code_of(&f)),
        ),
        select(
            "educational_session",
            "Séance scolaire intégrée à l'enseignement",
            yes_no_options(),
            p.map(|p| yes_no(p.educational_session)),
            Some(yes_no(facts.educational_session)),
        ),
        select(
            "amateur_unpaid",
            "Troupe amateur sans artiste rémunéré",
            yes_no_options(),
            p.map(|p| yes_no(p.amateur_unpaid)),
            Some(yes_no(facts.amateur_unpaid)),
        ),
    ];
    // The source value is the programme row's; without a row there is none to show.
    if programme.is_none() {
        for row in &mut rows {
            row.source_value = None;
        }
    }
    rows
}

fn select(
    field: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    source_value: Option<String>,
    current_value: Option<String>,
) -> FieldRow {
    FieldRow {
        field,
        label,
        input: "select",
        options,
        source_value,
        current_value,
    }
}

fn text(
    field: &'static str,
    label: &'static str,
    source_value: Option<String>,
    current_value: Option<String>,
) -> FieldRow {
    FieldRow {
        field,
        label,
        input: "text",
        options: Vec::new(),
        source_value,
        current_value,
    }
}
