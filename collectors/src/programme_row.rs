//! One programme row given as a header → cell-text map, mapped to a [`Record::Programme`] or a
//! [`Record::Quarantined`] by the very code of `programme_csv` (same columns, same values,
//! same reasons). Used by the spreadsheet, iCalendar and JSON-LD programme sources.
//!
//! # French header aliases
//!
//! [`canonical_column`] accepts the `programme_csv` column names and the headers venues write
//! (case, accents, spaces, `_`/`-` and apostrophes ignored):
//!
//! | header | column |
//! |---|---|
//! | Titre, Spectacle, Titre du spectacle | `show_title` |
//! | Date | date part of `starts_at` (see below) |
//! | Heure, Horaire | time part of `starts_at` |
//! | Date et heure, Début | `starts_at` |
//! | Salle, Lieu | `venue_name` |
//! | Code postal, CP | `venue_postal_code` |
//! | Ville, Commune | `venue_city` |
//! | Adresse | `venue_address` |
//! | Type de lieu | `venue_type` |
//! | Jauge, Capacité | `capacity` |
//! | Discipline, Genre | `discipline` |
//! | Public | `audience` |
//! | Producteur, Compagnie | `producer_name` |
//! | SIRET producteur | `producer_siret` |
//! | Producteur subventionné | `producer_subsidised` |
//! | Gratuit, Entrée libre | `free_admission` |
//! | Prix de cession, Cession HT | `cession_price_excl_vat` |
//! | Création | `creation` |
//! | Numéro d'objet, N° d'objet | `numero_objet` |
//! | Annulé, Annulation | `cancelled` |
//! | Identifiant, ID représentation | `performance_id` |
//! | Type de contrat | `contract_type` |
//! | Hors les murs | `off_site` |
//! | Théâtre membre de l'ASTP | `astp_member_theatre` |
//! | Bar TTC, Consommations TTC / TVA bar | `bar_incl_vat` / `bar_vat_rate` |
//! | Restauration TTC / TVA restauration | `catering_incl_vat` / `catering_vat_rate` |
//! | Programmes TTC / TVA programmes | `programmes_incl_vat` / `programmes_vat_rate` |
//! | Autres recettes TTC / TVA autres recettes | `other_incl_vat` / `other_vat_rate` |
//! | Domaine public | `public_domain` |
//! | Œuvres | `works` |
//! | Durée, Durée (min) | `duration_minutes` |
//! | Dossier SACD, N° de dossier SACD | `sacd_dossier` |
//! | Amateur | `amateur` |
//! | Adresse producteur | `producer_address` |
//!
//! # Date and time in two columns
//!
//! When a row has no `starts_at` but a `date` (`2026-03-20`, `20/03/2026`) and a `time`
//! (`20:30`, `20h30`, `20h`), they are joined into `starts_at` (`2026-03-20 20:30`, Paris
//! local time); a date alone is read as `starts_at` as it is (so a date without time is
//! quarantined with `programme_csv`'s message).

use crate::csv_input::{Columns, Row};
use crate::programme_csv::{parse_row, SPEC};
use crate::Record;
use releve_domain::text::normalise_key;
use std::collections::HashMap;

/// Pseudo-column: the date part of `starts_at`.
pub const DATE: &str = "date";
/// Pseudo-column: the time part of `starts_at`.
pub const TIME: &str = "time";

const ALIASES: [(&str, &str); 58] = [
    ("titre", "show_title"),
    ("spectacle", "show_title"),
    ("titre du spectacle", "show_title"),
    ("date", DATE),
    ("jour", DATE),
    ("heure", TIME),
    ("horaire", TIME),
    ("date et heure", "starts_at"),
    ("debut", "starts_at"),
    ("salle", "venue_name"),
    ("lieu", "venue_name"),
    ("code postal", "venue_postal_code"),
    ("cp", "venue_postal_code"),
    ("ville", "venue_city"),
    ("commune", "venue_city"),
    ("adresse", "venue_address"),
    ("type de lieu", "venue_type"),
    ("jauge", "capacity"),
    ("capacite", "capacity"),
    ("discipline", "discipline"),
    ("genre", "discipline"),
    ("public", "audience"),
    ("producteur", "producer_name"),
    ("compagnie", "producer_name"),
    ("siret producteur", "producer_siret"),
    ("producteur subventionne", "producer_subsidised"),
    ("gratuit", "free_admission"),
    ("entree libre", "free_admission"),
    ("prix de cession", "cession_price_excl_vat"),
    ("cession ht", "cession_price_excl_vat"),
    ("creation", "creation"),
    ("numero d objet", "numero_objet"),
    ("n d objet", "numero_objet"),
    ("numero objet", "numero_objet"),
    ("annule", "cancelled"),
    ("annulation", "cancelled"),
    ("identifiant", "performance_id"),
    ("id representation", "performance_id"),
    ("type de contrat", "contract_type"),
    ("hors les murs", "off_site"),
    ("theatre membre de l astp", "astp_member_theatre"),
    ("bar ttc", "bar_incl_vat"),
    ("consommations ttc", "bar_incl_vat"),
    ("tva bar", "bar_vat_rate"),
    ("restauration ttc", "catering_incl_vat"),
    ("tva restauration", "catering_vat_rate"),
    ("programmes ttc", "programmes_incl_vat"),
    ("tva programmes", "programmes_vat_rate"),
    ("autres recettes ttc", "other_incl_vat"),
    ("tva autres recettes", "other_vat_rate"),
    ("domaine public", "public_domain"),
    ("oeuvres", "works"),
    ("duree", "duration_minutes"),
    ("duree min", "duration_minutes"),
    ("dossier sacd", "sacd_dossier"),
    ("n de dossier sacd", "sacd_dossier"),
    ("amateur", "amateur"),
    ("adresse producteur", "producer_address"),
];

/// The `programme_csv` column (or [`DATE`] / [`TIME`]) a header names, if any.
pub fn canonical_column(header: &str) -> Option<&'static str> {
    let lower = header.trim().to_lowercase();
    if let Some(known) = SPEC
        .required
        .iter()
        .chain(SPEC.optional)
        .find(|c| **c == lower)
    {
        return Some(known);
    }
    let key: String = normalise_key(header)
        .chars()
        .map(|c| match c {
            '_' | '-' | '\'' | '\u{2019}' | '°' | '.' => ' ',
            other => other,
        })
        .collect();
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    ALIASES.iter().find(|(a, _)| *a == key).map(|(_, c)| *c)
}

/// Maps one row; `raw` is built from the cells (column = value, in column order).
pub fn map_programme_row(source_key: &str, line: u64, cells: &HashMap<String, String>) -> Record {
    let mut keys: Vec<&String> = cells.keys().collect();
    keys.sort();
    let raw = keys
        .iter()
        .filter(|k| !cells[k.as_str()].trim().is_empty())
        .map(|k| format!("{k}={}", cells[k.as_str()]))
        .collect::<Vec<_>>()
        .join(" ; ");
    map_programme_row_raw(source_key, line, cells, &raw)
}

/// Maps one row whose raw text (for quarantine) is given by the caller (the event as written).
/// Cell keys are `programme_csv` column names (or [`DATE`] / [`TIME`]).
pub fn map_programme_row_raw(
    source_key: &str,
    line: u64,
    cells: &HashMap<String, String>,
    raw: &str,
) -> Record {
    let header: Vec<&str> = SPEC.required.iter().chain(SPEC.optional).copied().collect();
    let columns = Columns::from_header(&SPEC, header.iter().copied())
        .expect("the spec's own columns form a valid header");
    let cell = |name: &str| cells.get(name).map(|s| s.trim()).unwrap_or_default();
    let starts_at = if cell("starts_at").is_empty() {
        join_date_time(cell(DATE), cell(TIME))
    } else {
        cell("starts_at").to_string()
    };
    let record = csv::StringRecord::from(
        header
            .iter()
            .map(|c| {
                if *c == "starts_at" {
                    starts_at.clone()
                } else {
                    cell(c).to_string()
                }
            })
            .collect::<Vec<_>>(),
    );
    let row = Row::from_parts(line, raw, &record, &columns);
    match parse_row(source_key, &row) {
        Ok(entry) => Record::Programme(entry),
        Err(error) => Record::Quarantined(row.quarantine(source_key, error)),
    }
}

/// `2026-03-20` + `20h30` → `2026-03-20 20:30`; an empty time leaves the date alone.
fn join_date_time(date: &str, time: &str) -> String {
    if time.is_empty() {
        return date.to_string();
    }
    let t = time.to_lowercase().replace(' ', "");
    let t = match t.split_once('h') {
        Some((h, "")) => format!("{h}:00"),
        Some((h, m)) => format!("{h}:{m}"),
        None => t,
    };
    format!("{date} {t}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use releve_domain::Discipline;

    fn cells(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn french_headers_are_recognised() {
        assert_eq!(canonical_column("Titre"), Some("show_title"));
        assert_eq!(canonical_column(" Numéro d'objet "), Some("numero_objet"));
        assert_eq!(canonical_column("N° d’objet"), Some("numero_objet"));
        assert_eq!(canonical_column("JAUGE"), Some("capacity"));
        assert_eq!(canonical_column("Annulé"), Some("cancelled"));
        assert_eq!(canonical_column("Heure"), Some(TIME));
        assert_eq!(canonical_column("venue_name"), Some("venue_name"));
        assert_eq!(canonical_column("Remarques"), None);
        assert_eq!(canonical_column("Bar TTC"), Some("bar_incl_vat"));
        assert_eq!(canonical_column("TVA bar"), Some("bar_vat_rate"));
        assert_eq!(canonical_column("Œuvres"), Some("works"));
        assert_eq!(canonical_column("Durée"), Some("duration_minutes"));
        assert_eq!(canonical_column("N° de dossier SACD"), Some("sacd_dossier"));
        assert_eq!(
            canonical_column("Théâtre membre de l'ASTP"),
            Some("astp_member_theatre")
        );
        assert_eq!(canonical_column("bar_incl_vat"), Some("bar_incl_vat"));
    }

    #[test]
    fn date_and_time_are_joined_and_mapped_like_programme_csv() {
        let r = map_programme_row(
            "programme_ods",
            4,
            &cells(&[
                ("show_title", "Les Vagues"),
                (DATE, "20/03/2026"),
                (TIME, "20h30"),
                ("venue_name", "Grande salle"),
                ("discipline", "Théâtre"),
                ("numero_objet", "26XZ00123442"),
            ]),
        );
        let Record::Programme(p) = r else {
            panic!("{r:?}")
        };
        assert_eq!(p.line, 4);
        assert_eq!(p.source, "programme_ods");
        // 20:30 in Paris in March (UTC+1) = 19:30 UTC.
        assert_eq!(p.starts_at.to_rfc3339(), "2026-03-20T19:30:00+00:00");
        assert_eq!(p.discipline, Discipline::Theatre);
        assert_eq!(p.numero_objet, ["26XZ00123442"]);
    }

    #[test]
    fn a_missing_discipline_is_quarantined_never_guessed() {
        let r = map_programme_row(
            "programme_ical",
            7,
            &cells(&[
                ("show_title", "Sans genre"),
                ("starts_at", "2026-03-20 20:30"),
                ("venue_name", "Salle"),
            ]),
        );
        let Record::Quarantined(q) = r else {
            panic!("{r:?}")
        };
        assert_eq!(q.line, Some(7));
        assert_eq!(q.column.as_deref(), Some("discipline"));
        assert!(q.reason.contains("valeur manquante"), "{}", q.reason);
        assert!(q.raw.contains("show_title=Sans genre"), "{}", q.raw);
    }
}
