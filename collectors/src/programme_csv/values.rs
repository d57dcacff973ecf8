//! The controlled values of `programme_csv` cells: venue type, discipline, audience, producer,
//! tax fraction, contract type, director's sex, parity counts. Each reader returns the value or
//! the French reason listing what is accepted.

use super::columns::*;
use crate::csv_input::{CellError, CellResult, Row};
use releve_domain::employment::Sex;
use releve_domain::programme::{OtherOrigin, OtherReceipt};
use releve_domain::siret::luhn_valid;
use releve_domain::text::normalise_key;
use releve_domain::{Audience, ContractType, Discipline, Fraction, Producer, Siret, VatRate};

/// SIBIL `typeLieu` values.
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

/// A SIBIL venue type; case, accents, spaces and dashes tolerated (`Espace polyvalent`).
pub fn venue_type(row: &Row<'_>) -> CellResult<Option<String>> {
    let Some(text) = row.get(VENUE_TYPE) else {
        return Ok(None);
    };
    let key = normalise_key(text)
        .replace([' ', '-'], "_")
        .to_ascii_uppercase();
    match VENUE_TYPES.iter().find(|v| **v == key) {
        Some(v) => Ok(Some(v.to_string())),
        None => Err(CellError::at(
            VENUE_TYPE,
            format!(
                "type de lieu inconnu « {text} » ; valeurs admises (types de lieu SIBIL) : {}",
                VENUE_TYPES.join(", ")
            ),
        )),
    }
}

/// A jauge: a whole number above zero.
pub fn capacity(row: &Row<'_>) -> CellResult<Option<u32>> {
    match row.count(CAPACITY)? {
        Some(0) => Err(CellError::at(
            CAPACITY,
            "jauge de 0 place ; indiquez le nombre de places mises en vente, ou laissez la \
             cellule vide si la jauge n'est pas connue",
        )),
        other => Ok(other),
    }
}

pub fn discipline(row: &Row<'_>) -> CellResult<Discipline> {
    let text = row.required(DISCIPLINE)?;
    Discipline::parse(text).ok_or_else(|| {
        CellError::at(
            DISCIPLINE,
            format!(
                "discipline inconnue « {text} » ; valeurs admises : {}",
                Discipline::accepted_values()
            ),
        )
    })
}

/// Empty means `tout_public`.
pub fn audience(row: &Row<'_>) -> CellResult<Audience> {
    let text = row.get(AUDIENCE).unwrap_or_default();
    Audience::parse(text).ok_or_else(|| {
        CellError::at(
            AUDIENCE,
            format!(
                "public inconnu « {text} » ; attendu : tout_public, jeune_public ou scolaire \
                 (vide = tout_public)"
            ),
        )
    })
}

/// The producer, when any producer column is filled: by name, or by SIRET/SIREN only (its
/// name is then left empty, for the company register to complete); a subsidy answer alone
/// names nobody and is refused.
pub fn producer(row: &Row<'_>) -> CellResult<Option<Producer>> {
    let name = row.get(PRODUCER_NAME);
    let siret = match row.get(PRODUCER_SIRET) {
        Some(text) => Some(siret_or_siren(text)?),
        None => None,
    };
    let subsidised = row.yes_no(PRODUCER_SUBSIDISED)?;
    match (name, siret) {
        (Some(name), siret) => Ok(Some(Producer {
            name: name.to_string(),
            siret,
            subsidised,
            address: row.get(PRODUCER_ADDRESS).map(str::to_string),
        })),
        (None, Some(siret)) => Ok(Some(Producer {
            name: String::new(),
            siret: Some(siret),
            subsidised,
            address: row.get(PRODUCER_ADDRESS).map(str::to_string),
        })),
        (None, None) if subsidised.is_some() => Err(CellError::at(
            PRODUCER_NAME,
            "producteur manquant alors que producer_subsidised est renseigné ; indiquez le nom \
             (producer_name) ou le SIRET (producer_siret) du producteur, ou videz cette colonne",
        )),
        (None, None) => Ok(None),
    }
}

/// A SIRET (14 digits) or SIREN (9 digits), spaces allowed, checked with the Luhn key; kept as
/// digits only.
fn siret_or_siren(text: &str) -> CellResult<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let ok = match digits.len() {
        14 => Siret::parse(&digits).is_ok(),
        9 => digits.bytes().all(|b| b.is_ascii_digit()) && luhn_valid(&digits),
        _ => false,
    };
    if ok {
        Ok(digits)
    } else {
        Err(CellError::at(
            PRODUCER_SIRET,
            format!(
                "SIRET ou SIREN invalide « {text} » ; attendu : 14 chiffres (SIRET) ou 9 chiffres \
                 (SIREN) dont la clé de contrôle est juste"
            ),
        ))
    }
}

/// `cnm`, `astp` or `none` (`aucune` accepted): the per-show choice of the tax fraction.
pub fn tax_fraction(row: &Row<'_>) -> CellResult<Option<Fraction>> {
    let Some(text) = row.get(TAX_FRACTION) else {
        return Ok(None);
    };
    match Fraction::parse(text) {
        Some(Fraction::Review) | None => Err(CellError::at(
            TAX_FRACTION,
            format!(
                "fraction de taxe inconnue « {text} » ; attendu : cnm, astp ou none (hors taxe), \
                 ou une cellule vide pour suivre la discipline"
            ),
        )),
        Some(fraction) => Ok(Some(fraction)),
    }
}

pub fn contract_type(row: &Row<'_>) -> CellResult<Option<ContractType>> {
    let Some(text) = row.get(CONTRACT_TYPE) else {
        return Ok(None);
    };
    ContractType::parse(text).map(Some).ok_or_else(|| {
        CellError::at(
            CONTRACT_TYPE,
            format!(
                "type de contrat inconnu « {text} » ; attendu : cession, engagement, \
                 coproduction, coréalisation ou autre"
            ),
        )
    })
}

/// `f` / `femme` → female; `m` / `h` / `homme` → male.
pub fn director_sex(row: &Row<'_>) -> CellResult<Option<Sex>> {
    let Some(text) = row.get(DIRECTOR_SEX) else {
        return Ok(None);
    };
    match normalise_key(text).as_str() {
        "f" | "femme" | "female" => Ok(Some(Sex::Female)),
        "m" | "h" | "homme" | "male" => Ok(Some(Sex::Male)),
        _ => Err(CellError::at(
            DIRECTOR_SEX,
            format!("valeur « {text} » non reconnue ; attendu : f (femme) ou m (homme)"),
        )),
    }
}

/// (artists on stage, of whom women); the women cannot outnumber the artists.
pub fn artists(row: &Row<'_>) -> CellResult<(Option<u32>, Option<u32>)> {
    let total = row.count(ARTISTS_TOTAL)?;
    let women = row.count(ARTISTS_WOMEN)?;
    if let (Some(t), Some(w)) = (total, women) {
        if w > t {
            return Err(CellError::at(
                ARTISTS_WOMEN,
                format!(
                    "{w} artistes femmes pour {t} artistes au total ; le nombre de femmes ne peut \
                     pas dépasser artists_total"
                ),
            ));
        }
    }
    Ok((total, women))
}

/// The receipts other than admissions (SACEM état): each amount needs its VAT rate, except a
/// zero amount; a rate without amount is refused too, since one of the two is a typo.
pub fn other_receipts(row: &Row<'_>) -> CellResult<Vec<OtherReceipt>> {
    let columns = [
        (OtherOrigin::Bar, BAR_INCL_VAT, BAR_VAT_RATE),
        (OtherOrigin::Catering, CATERING_INCL_VAT, CATERING_VAT_RATE),
        (
            OtherOrigin::Programmes,
            PROGRAMMES_INCL_VAT,
            PROGRAMMES_VAT_RATE,
        ),
        (OtherOrigin::Other, OTHER_INCL_VAT, OTHER_VAT_RATE),
    ];
    let mut receipts = Vec::new();
    for (origin, amount_column, rate_column) in columns {
        let amount = row.money(amount_column)?;
        let rate = match row.get(rate_column) {
            None => None,
            Some(text) => Some(VatRate::parse(text).map_err(|e| {
                CellError::at(
                    rate_column,
                    format!("{e} ; attendu : un taux de TVA en pour cent, par exemple 20 ou 5,5"),
                )
            })?),
        };
        match (amount, rate) {
            (None, None) => {}
            (Some(a), None) if a.is_zero() => {}
            (Some(incl_vat), Some(vat_rate)) => receipts.push(OtherReceipt {
                origin,
                incl_vat,
                vat_rate,
            }),
            (Some(_), None) => {
                return Err(CellError::at(
                    rate_column,
                    format!(
                        "taux de TVA manquant pour le montant de {amount_column} ; indiquez-le (par exemple \
                         20 pour le bar, 10 pour la restauration, 5,5 pour les programmes)"
                    ),
                ))
            }
            (None, Some(_)) => {
                return Err(CellError::at(
                    amount_column,
                    format!("un taux est indiqué dans {rate_column} mais le montant manque ; renseignez-le"),
                ))
            }
        }
    }
    Ok(receipts)
}
