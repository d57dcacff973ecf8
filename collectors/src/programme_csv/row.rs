//! One `programme_csv` row → a [`ProgrammeEntry`], or the reason to quarantine it. Pure.

use super::columns::*;
use super::values;
use crate::csv_input::{CellResult, Row};
use releve_domain::{ProgrammeEntry, Venue};

/// Reads every column of a row, in file-contract order; the first problem found is returned.
pub fn parse(source: &str, row: &Row<'_>) -> CellResult<ProgrammeEntry> {
    let performance_id = row.get(PERFORMANCE_ID).map(str::to_string);
    let show_title = row.required(SHOW_TITLE)?.to_string();
    let starts_at = row.required_instant(STARTS_AT)?;
    let venue = Venue {
        name: row.required(VENUE_NAME)?.to_string(),
        postal_code: row.get(VENUE_POSTAL_CODE).map(str::to_string),
        city: row.get(VENUE_CITY).map(str::to_string),
        address: row.get(VENUE_ADDRESS).map(str::to_string),
        venue_type: values::venue_type(row)?,
    };
    let capacity = values::capacity(row)?;
    let discipline = values::discipline(row)?;
    let audience = values::audience(row)?;
    let producer = values::producer(row)?;
    let free_admission = row.flag(FREE_ADMISSION)?;
    let cession_price_excl_vat = row.money(CESSION_PRICE_EXCL_VAT)?;
    let sacem = row.yes_no(SACEM)?;
    let sacd = row.yes_no(SACD)?;
    let creation = row.flag(CREATION)?;
    let numero_objet = row
        .get(NUMERO_OBJET)
        .map(|text| {
            text.split('|')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let cancelled = row.flag(CANCELLED)?;
    let tax_fraction = values::tax_fraction(row)?;
    let educational_session = row.flag(EDUCATIONAL_SESSION)?;
    let amateur_unpaid = row.flag(AMATEUR_UNPAID)?;
    let contract_type = values::contract_type(row)?;
    let frais_approche_excl_vat = row.money(FRAIS_APPROCHE_EXCL_VAT)?;
    let coproduction_contribution_excl_vat = row.money(COPRODUCTION_CONTRIBUTION_EXCL_VAT)?;
    let guarantee_excl_vat = row.money(GUARANTEE_EXCL_VAT)?;
    let off_site = row.flag(OFF_SITE)?;
    let director_sex = values::director_sex(row)?;
    let (artists_total, artists_women) = values::artists(row)?;
    let astp_member_theatre = row.yes_no(ASTP_MEMBER_THEATRE)?;
    let other_receipts = values::other_receipts(row)?;
    let public_domain = row.flag(PUBLIC_DOMAIN)?;
    let works = row
        .get(WORKS)
        .map(|text| {
            text.split('|')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let duration_minutes = row.count(DURATION_MINUTES)?;
    let sacd_dossier = row.get(SACD_DOSSIER).map(str::to_string);
    let amateur = row.flag(AMATEUR)?;
    Ok(ProgrammeEntry {
        source: source.to_string(),
        line: row.line,
        performance_id,
        show_title,
        starts_at,
        venue,
        capacity,
        discipline,
        audience,
        producer,
        free_admission,
        cession_price_excl_vat,
        sacem,
        sacd,
        tax_fraction,
        creation,
        numero_objet,
        cancelled,
        educational_session,
        amateur_unpaid,
        contract_type,
        frais_approche_excl_vat,
        coproduction_contribution_excl_vat,
        guarantee_excl_vat,
        off_site,
        director_sex,
        artists_total,
        artists_women,
        astp_member_theatre,
        other_receipts,
        public_domain,
        works,
        duration_minutes,
        sacd_dossier,
        amateur,
    })
}
