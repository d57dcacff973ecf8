//! Corrections: the one validating entry point used by the API (`POST …/corrections`) and by
//! the workspace's corrections form, and the loading of the corrections in force for a run.
//!
//! ```ignore
//! use releve::corrections::{self, CorrectionRequest, CorrectionError};
//! // `org` comes from `access::organisation(&state, &caller, slug, Action::Correct)`.
//! let request = CorrectionRequest {
//!     performance_id: Some("tickets_csv:P-2025-11-14".into()), // or show_id: Some(…)
//!     show_id: None,
//!     field: "discipline".into(),
//!     value: Some("theatre".into()),   // None withdraws the correction
//!     reason: "le programme se trompait de genre".into(),
//!     by: "Claire Martin, administratrice".into(),
//! };
//! match corrections::apply(&store, org, &request, &caller.actor(), clock.now()).await {
//!     Ok(record) => { /* 201, record.id, record.old_value … */ }
//!     Err(CorrectionError::Invalid(problems)) => { /* 422: each problem has `field` and a French `message` */ }
//!     Err(CorrectionError::Failed(e)) => { /* 500 */ }
//! }
//! ```
//!
//! What is checked: exactly one of `performance_id` / `show_id`, naming a performance or show
//! the store knows for this organisation; a `field` of `formats.md` §6; a `value` in §4's
//! syntax, read by the very parser of `programme_csv` (so `"2000,00"` and `"2000.00"` are the
//! same amount, `"oui"` is `yes`) and stored in its canonical form; for `programme_row`, a
//! `"<source>:<line>"` naming a stored row of one of the organisation's programme sources, on
//! a performance of a ticketing source; a non-empty `reason` and `by`; a withdrawal
//! (`value = null`) only of a correction in force. The old value recorded is what the facts
//! held without any correction (the source value). Storing writes the audit-log entry too.
//!
//! A run applies the corrections in force where the month's facts are built (`month.rs`
//! `load_facts`), through [`in_force`]: once, for every declaration, the indicators, the report
//! and `releve trace`.

use crate::config::OrganisationConfig;
use anyhow::Context;
use chrono::{DateTime, Utc};
use releve_collectors::programme_row::map_programme_row;
use releve_collectors::Record;
use releve_domain::corrections::{
    current_value, CorrectedValue, CorrectionTarget, Corrections, FieldCorrection, ManualLink,
};
use releve_domain::linking::programme_only_id;
use releve_domain::text::normalise_key;
use releve_domain::{Fraction, Month, PerformanceFacts, ProgrammeEntry};
use releve_store::{CorrectionRecord, CorrectionTargetKind, NewCorrection, Store};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The fields a correction may set (`formats.md` §6), plus `programme_row` (a manual link).
pub const FIELDS: [&str; 16] = [
    "discipline",
    "audience",
    "capacity",
    "producer_name",
    "producer_siret",
    "producer_subsidised",
    "free_admission",
    "cession_price_excl_vat",
    "sacem",
    "sacd",
    "creation",
    "cancelled",
    "tax_fraction",
    "educational_session",
    "amateur_unpaid",
    "venue_type",
];

/// The manual link of a programme row to a performance.
pub const PROGRAMME_ROW: &str = "programme_row";

/// A correction as the API and the workspace form receive it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct CorrectionRequest {
    #[serde(default)]
    pub performance_id: Option<String>,
    #[serde(default)]
    pub show_id: Option<String>,
    pub field: String,
    /// `None` (JSON `null`) withdraws the correction in force.
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub by: String,
}

/// One thing wrong with a request: the request field at fault and what to do, in French.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug)]
pub enum CorrectionError {
    /// The request is invalid (HTTP 422); every problem found, in request order.
    Invalid(Vec<Problem>),
    /// The store could not be read or written.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for CorrectionError {
    fn from(e: anyhow::Error) -> CorrectionError {
        CorrectionError::Failed(e)
    }
}

impl std::fmt::Display for CorrectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CorrectionError::Invalid(_) => write!(f, "correction refusée : {}", self.message()),
            CorrectionError::Failed(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for CorrectionError {}

impl CorrectionError {
    /// One French sentence for an error body.
    pub fn message(&self) -> String {
        match self {
            CorrectionError::Invalid(problems) => problems
                .iter()
                .map(|p| format!("{} : {}", p.field, p.message))
                .collect::<Vec<_>>()
                .join(" ; "),
            CorrectionError::Failed(e) => format!("{e:#}"),
        }
    }
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

/// Validates and stores a correction (with its audit-log entry). `actor` is who sent it
/// (`Caller::actor()`), `at` the injected clock's now.
pub async fn apply(
    store: &Store,
    org: &OrganisationConfig,
    request: &CorrectionRequest,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<CorrectionRecord, CorrectionError> {
    let slug = org.organisation.slug.as_str();
    let mut problems = Vec::new();
    let target = match (
        non_empty(request.performance_id.as_deref()),
        non_empty(request.show_id.as_deref()),
    ) {
        (Some(p), None) => Some(CorrectionTarget::Performance(p.to_string())),
        (None, Some(s)) => Some(CorrectionTarget::Show(s.to_string())),
        (Some(_), Some(_)) => {
            problems.push(problem(
                "performance_id",
                "indiquez soit performance_id (une représentation), soit show_id (toutes les \
                 représentations d'un spectacle), pas les deux",
            ));
            None
        }
        (None, None) => {
            problems.push(problem(
                "performance_id",
                "indiquez performance_id (une représentation) ou show_id (toutes les \
                 représentations d'un spectacle)",
            ));
            None
        }
    };
    let field = request.field.trim();
    let known_field = FIELDS.contains(&field) || field == PROGRAMME_ROW;
    if !known_field {
        problems.push(problem(
            "field",
            format!(
                "champ « {field} » inconnu ; champs corrigeables : {}, ou {PROGRAMME_ROW} pour \
                 rattacher une ligne de programme",
                FIELDS.join(", ")
            ),
        ));
    }
    if field == PROGRAMME_ROW && matches!(target, Some(CorrectionTarget::Show(_))) {
        problems.push(problem(
            "show_id",
            "une ligne de programme se rattache à une représentation : indiquez performance_id",
        ));
    }
    if request.reason.trim().is_empty() {
        problems.push(problem(
            "reason",
            "indiquez la raison de la correction (elle figure au journal)",
        ));
    }
    if request.by.trim().is_empty() {
        problems.push(problem(
            "by",
            "indiquez qui fait la correction (nom et fonction, par exemple « Claire Martin, \
             administratrice »)",
        ));
    }
    let value = match (&request.value, known_field) {
        (Some(text), true) if field != PROGRAMME_ROW => match parse_value(field, text) {
            Ok((_, canonical)) => Some(canonical),
            Err(message) => {
                problems.push(problem("value", message));
                None
            }
        },
        (Some(text), true) => Some(text.trim().to_string()),
        _ => None,
    };
    let Some(target) = target else {
        return Err(CorrectionError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(CorrectionError::Invalid(problems));
    }

    let known = Known::load(store, org).await?;
    let facts = match known.facts_of(store, org, &target).await? {
        Some(facts) => facts,
        None => {
            let (name, what) = match &target {
                CorrectionTarget::Performance(id) => {
                    ("performance_id", format!("représentation « {id} »"))
                }
                CorrectionTarget::Show(id) => ("show_id", format!("spectacle « {id} »")),
            };
            return Err(CorrectionError::Invalid(vec![problem(
                name,
                format!(
                    "{what} inconnue pour {slug} ; les identifiants sont ceux d'aggregates.json \
                     (performance_id) ou des sources de billetterie (show_id)"
                ),
            )]));
        }
    };
    if field == PROGRAMME_ROW {
        if let Some(text) = &value {
            if let Err(message) = known.check_programme_row(org, &target, text) {
                return Err(CorrectionError::Invalid(vec![problem("value", message)]));
            }
        }
    }
    let (kind, target_id) = match &target {
        CorrectionTarget::Performance(id) => (CorrectionTargetKind::Performance, id.as_str()),
        CorrectionTarget::Show(id) => (CorrectionTargetKind::Show, id.as_str()),
    };
    if value.is_none() {
        let in_force = store
            .corrections_in_force(slug)
            .await
            .context("lecture des corrections")?;
        if !in_force
            .iter()
            .any(|c| c.target_kind == kind && c.target_id == target_id && c.field == field)
        {
            return Err(CorrectionError::Invalid(vec![problem(
                "value",
                format!(
                    "aucune correction de « {field} » n'est en vigueur pour « {target_id} » : il n'y \
                     a rien à retirer (une valeur null retire une correction)"
                ),
            )]));
        }
    }
    let old_value = current_value(&facts, field);
    let record = store
        .add_correction(
            slug,
            &NewCorrection {
                target_kind: kind,
                target_id,
                field,
                old_value: old_value.as_deref(),
                value: value.as_deref(),
                reason: request.reason.trim(),
                by: request.by.trim(),
                actor,
                at,
            },
        )
        .await
        .context("enregistrement de la correction")?;
    tracing::info!(
        org = slug,
        correction = record.id,
        field,
        "correction stored"
    );
    Ok(record)
}

/// The corrections in force for an organisation, as the month's facts take them. A stored
/// value that no longer reads (it cannot happen through [`apply`]) is skipped with a warning.
pub async fn in_force(store: &Store, org: &OrganisationConfig) -> anyhow::Result<Corrections> {
    let mut corrections = Corrections::default();
    for c in store.corrections_in_force(&org.organisation.slug).await? {
        let Some(text) = c.value.as_deref() else {
            continue;
        };
        let target = match c.target_kind {
            CorrectionTargetKind::Performance => CorrectionTarget::Performance(c.target_id.clone()),
            CorrectionTargetKind::Show => CorrectionTarget::Show(c.target_id.clone()),
        };
        if c.field == PROGRAMME_ROW {
            if let (CorrectionTarget::Performance(id), Some((source, line))) =
                (&target, split_row(text))
            {
                corrections.links.push(ManualLink {
                    performance_id: id.clone(),
                    programme_source: source.to_string(),
                    programme_line: line,
                });
            }
            continue;
        }
        match parse_value(&c.field, text) {
            Ok((value, _)) => corrections.fields.push(FieldCorrection { target, value }),
            Err(reason) => {
                tracing::warn!(correction = c.id, field = %c.field, %reason, "stored correction skipped")
            }
        }
    }
    Ok(corrections)
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// `programme_csv:12` → (`programme_csv`, 12); the source name may itself hold `:`.
fn split_row(text: &str) -> Option<(&str, u64)> {
    let (source, line) = text.trim().rsplit_once(':')?;
    let line = line.trim().parse().ok()?;
    (!source.is_empty()).then_some((source, line))
}

/// Reads a value of `field` with the `programme_csv` parser: the typed value and its canonical
/// text (`"Théâtre"` → `theatre`, `"2000,00"` → `2000.00`, `"oui"` → `yes`).
pub fn parse_value(field: &str, text: &str) -> Result<(CorrectedValue, String), String> {
    if text.trim().is_empty() {
        return Err(
            "valeur vide ; pour revenir à la valeur de la source, envoyez \"value\": null".into(),
        );
    }
    // A row that is valid in every other column, so that the only possible problem is ours.
    let mut cells: HashMap<String, String> = [
        ("show_title", "correction"),
        ("starts_at", "2025-01-01 20:00"),
        ("venue_name", "correction"),
        ("discipline", "theatre"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if matches!(field, "producer_siret" | "producer_subsidised") {
        cells.insert("producer_name".into(), "correction".into());
    }
    cells.insert(field.to_string(), text.to_string());
    let entry: ProgrammeEntry = match map_programme_row("correction", 1, &cells) {
        Record::Programme(entry) => entry,
        Record::Quarantined(q) => return Err(q.reason),
        other => return Err(format!("valeur illisible ({other:?})")),
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let producer = entry.producer.clone().unwrap_or_default();
    let missing = || format!("valeur « {text} » non reconnue pour {field}");
    Ok(match field {
        "discipline" => (
            CorrectedValue::Discipline(entry.discipline),
            entry.discipline.code().to_string(),
        ),
        "audience" => (
            CorrectedValue::Audience(entry.audience),
            entry.audience.code().to_string(),
        ),
        "capacity" => {
            let c = entry.capacity.ok_or_else(missing)?;
            (CorrectedValue::Capacity(c), c.to_string())
        }
        "producer_name" => (
            CorrectedValue::ProducerName(producer.name.clone()),
            producer.name,
        ),
        "producer_siret" => {
            let s = producer.siret.ok_or_else(missing)?;
            (CorrectedValue::ProducerSiret(s.clone()), s)
        }
        "producer_subsidised" => {
            let b = producer.subsidised.ok_or_else(missing)?;
            (CorrectedValue::ProducerSubsidised(b), yes_no(b))
        }
        "free_admission" => (
            CorrectedValue::FreeAdmission(entry.free_admission),
            yes_no(entry.free_admission),
        ),
        "cession_price_excl_vat" => {
            let m = entry.cession_price_excl_vat.ok_or_else(missing)?;
            (CorrectedValue::CessionPriceExclVat(m), m.to_string())
        }
        "sacem" => {
            let b = entry.sacem.ok_or_else(missing)?;
            (CorrectedValue::Sacem(b), yes_no(b))
        }
        "sacd" => {
            let b = entry.sacd.ok_or_else(missing)?;
            (CorrectedValue::Sacd(b), yes_no(b))
        }
        "creation" => (
            CorrectedValue::Creation(entry.creation),
            yes_no(entry.creation),
        ),
        "cancelled" => (
            CorrectedValue::Cancelled(entry.cancelled),
            yes_no(entry.cancelled),
        ),
        "tax_fraction" => {
            let f = entry.tax_fraction.ok_or_else(missing)?;
            let code = match f {
                Fraction::Cnm => "cnm",
                Fraction::Astp => "astp",
                Fraction::None => "none",
                Fraction::Review => return Err(missing()),
            };
            (CorrectedValue::TaxFraction(f), code.to_string())
        }
        "educational_session" => (
            CorrectedValue::EducationalSession(entry.educational_session),
            yes_no(entry.educational_session),
        ),
        "amateur_unpaid" => (
            CorrectedValue::AmateurUnpaid(entry.amateur_unpaid),
            yes_no(entry.amateur_unpaid),
        ),
        "venue_type" => {
            let t = entry.venue.venue_type.ok_or_else(missing)?;
            (CorrectedValue::VenueType(t.clone()), t)
        }
        _ => return Err(format!("champ « {field} » non corrigeable")),
    })
}

/// What the store knows of an organisation's performances and programme rows, to check a
/// correction's target and find its month.
struct Known {
    /// Performance id → (start, show id, from a ticketing source).
    performances: Vec<(String, DateTime<Utc>, String, bool)>,
    programme: Vec<ProgrammeEntry>,
}

impl Known {
    async fn load(store: &Store, org: &OrganisationConfig) -> anyhow::Result<Known> {
        let slug = org.organisation.slug.as_str();
        // Every instant the store can hold for a ticketing export releve reads.
        let from = DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default();
        let to = DateTime::<Utc>::from_timestamp(7_258_118_400, 0).unwrap_or_default();
        let records = store.performances_between(slug, from, to).await?;
        let programme = store.programme_between(slug, from, to).await?;
        let mut performances: Vec<(String, DateTime<Utc>, String, bool)> = records
            .iter()
            .map(|r| (r.performance_id(), r.starts_at, r.show_id.clone(), true))
            .collect();
        performances.extend(programme.iter().map(|p| {
            (
                programme_only_id(p),
                p.starts_at,
                normalise_key(&p.show_title),
                false,
            )
        }));
        performances.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Ok(Known {
            performances,
            programme,
        })
    }

    /// The facts (without corrections) of the target's performance, or of its show's first
    /// performance; `None` when the store knows no such performance or show.
    async fn facts_of(
        &self,
        store: &Store,
        org: &OrganisationConfig,
        target: &CorrectionTarget,
    ) -> anyhow::Result<Option<PerformanceFacts>> {
        let candidates: Vec<&(String, DateTime<Utc>, String, bool)> = self
            .performances
            .iter()
            .filter(|(id, _, show, _)| match target {
                CorrectionTarget::Performance(p) => id == p,
                CorrectionTarget::Show(s) => show == s,
            })
            .collect();
        for (id, starts_at, _, _) in candidates {
            let month = Month::of_instant(*starts_at);
            let facts =
                crate::month::load_facts_with(store, org, month, &Corrections::default()).await?;
            let found = facts.performances.into_iter().find(|p| match target {
                CorrectionTarget::Performance(_) => &p.performance_id == id,
                CorrectionTarget::Show(s) => &p.show_id == s,
            });
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    fn check_programme_row(
        &self,
        org: &OrganisationConfig,
        target: &CorrectionTarget,
        text: &str,
    ) -> Result<(), String> {
        let Some((source, line)) = split_row(text) else {
            return Err(format!(
                "« {text} » ne désigne pas une ligne de programme ; attendu : \
                 \"<nom de la source>:<ligne>\", par exemple \"programme_csv:12\""
            ));
        };
        let programme_sources: Vec<&str> = org
            .sources
            .iter()
            .filter(|s| s.kind.code().starts_with("programme_"))
            .map(|s| s.key.as_str())
            .collect();
        if !programme_sources.contains(&source) {
            return Err(format!(
                "« {source} » n'est pas une source de programme de l'organisation (sources de \
                 programme : {})",
                if programme_sources.is_empty() {
                    "aucune".to_string()
                } else {
                    programme_sources.join(", ")
                }
            ));
        }
        if !self
            .programme
            .iter()
            .any(|p| p.source == source && p.line == line)
        {
            return Err(format!(
                "la source {source} n'a pas de ligne {line} enregistrée (lignes en quarantaine \
                 ou source pas encore importée ?)"
            ));
        }
        let ticketed = match target {
            CorrectionTarget::Performance(id) => self
                .performances
                .iter()
                .any(|(p, _, _, ticketed)| p == id && *ticketed),
            CorrectionTarget::Show(_) => false,
        };
        if !ticketed {
            return Err(
                "une ligne de programme se rattache à une représentation d'une source de \
                 billetterie"
                    .into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_like_the_programme_and_stored_canonical() {
        let canonical = |f: &str, t: &str| parse_value(f, t).map(|(_, c)| c);
        assert_eq!(canonical("discipline", "Théâtre").unwrap(), "theatre");
        assert_eq!(
            canonical("cession_price_excl_vat", "2000,00").unwrap(),
            "2000.00"
        );
        assert_eq!(
            canonical("cession_price_excl_vat", "2000.5").unwrap(),
            "2000.50"
        );
        assert_eq!(canonical("sacem", "oui").unwrap(), "yes");
        assert_eq!(canonical("producer_subsidised", "non").unwrap(), "no");
        assert_eq!(canonical("capacity", "300").unwrap(), "300");
        assert_eq!(canonical("tax_fraction", "ASTP").unwrap(), "astp");
        assert_eq!(
            canonical("venue_type", "Espace polyvalent").unwrap(),
            "ESPACE_POLYVALENT"
        );
    }

    #[test]
    fn invalid_values_say_what_is_accepted_in_french() {
        let err = parse_value("discipline", "opérette").unwrap_err();
        assert!(err.contains("discipline inconnue « opérette »"), "{err}");
        assert!(err.contains("chanson_variete"), "{err}");
        let err = parse_value("capacity", "0").unwrap_err();
        assert!(err.contains("jauge de 0 place"), "{err}");
        let err = parse_value("sacem", "peut-être").unwrap_err();
        assert!(err.contains("peut-être"), "{err}");
        let err = parse_value("producer_siret", "123").unwrap_err();
        assert!(err.contains("SIRET ou SIREN invalide"), "{err}");
        let err = parse_value("capacity", " ").unwrap_err();
        assert!(err.contains("null"), "{err}");
    }

    #[test]
    fn programme_rows_are_source_and_line() {
        assert_eq!(split_row("programme_csv:12"), Some(("programme_csv", 12)));
        assert_eq!(split_row("saison:2025:7"), Some(("saison:2025", 7)));
        assert_eq!(split_row("programme_csv"), None);
        assert_eq!(split_row(":3"), None);
    }
}
