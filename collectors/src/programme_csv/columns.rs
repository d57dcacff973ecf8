//! Column names of `programme_csv` (`formats.md` §4, plus the columns this crate adds, listed in
//! the module doc).

use crate::csv_input::ColumnSpec;

pub const PERFORMANCE_ID: &str = "performance_id";
pub const SHOW_TITLE: &str = "show_title";
pub const STARTS_AT: &str = "starts_at";
pub const VENUE_NAME: &str = "venue_name";
pub const VENUE_POSTAL_CODE: &str = "venue_postal_code";
pub const VENUE_CITY: &str = "venue_city";
pub const VENUE_ADDRESS: &str = "venue_address";
pub const VENUE_TYPE: &str = "venue_type";
pub const CAPACITY: &str = "capacity";
pub const DISCIPLINE: &str = "discipline";
pub const AUDIENCE: &str = "audience";
pub const PRODUCER_NAME: &str = "producer_name";
pub const PRODUCER_SIRET: &str = "producer_siret";
pub const PRODUCER_SUBSIDISED: &str = "producer_subsidised";
pub const FREE_ADMISSION: &str = "free_admission";
pub const CESSION_PRICE_EXCL_VAT: &str = "cession_price_excl_vat";
pub const SACEM: &str = "sacem";
pub const SACD: &str = "sacd";
pub const CREATION: &str = "creation";
pub const NUMERO_OBJET: &str = "numero_objet";
pub const CANCELLED: &str = "cancelled";
// Added by releve (not in formats.md §4 yet).
pub const TAX_FRACTION: &str = "tax_fraction";
pub const EDUCATIONAL_SESSION: &str = "educational_session";
pub const AMATEUR_UNPAID: &str = "amateur_unpaid";
pub const CONTRACT_TYPE: &str = "contract_type";
pub const FRAIS_APPROCHE_EXCL_VAT: &str = "frais_approche_excl_vat";
pub const COPRODUCTION_CONTRIBUTION_EXCL_VAT: &str = "coproduction_contribution_excl_vat";
pub const GUARANTEE_EXCL_VAT: &str = "guarantee_excl_vat";
pub const OFF_SITE: &str = "off_site";
pub const DIRECTOR_SEX: &str = "director_sex";
pub const ARTISTS_TOTAL: &str = "artists_total";
pub const ARTISTS_WOMEN: &str = "artists_women";

pub const SPEC: ColumnSpec = ColumnSpec {
    required: &[SHOW_TITLE, STARTS_AT, VENUE_NAME, DISCIPLINE],
    optional: &[
        PERFORMANCE_ID,
        VENUE_POSTAL_CODE,
        VENUE_CITY,
        VENUE_ADDRESS,
        VENUE_TYPE,
        CAPACITY,
        AUDIENCE,
        PRODUCER_NAME,
        PRODUCER_SIRET,
        PRODUCER_SUBSIDISED,
        FREE_ADMISSION,
        CESSION_PRICE_EXCL_VAT,
        SACEM,
        SACD,
        CREATION,
        NUMERO_OBJET,
        CANCELLED,
        TAX_FRACTION,
        EDUCATIONAL_SESSION,
        AMATEUR_UNPAID,
        CONTRACT_TYPE,
        FRAIS_APPROCHE_EXCL_VAT,
        COPRODUCTION_CONTRIBUTION_EXCL_VAT,
        GUARANTEE_EXCL_VAT,
        OFF_SITE,
        DIRECTOR_SEX,
        ARTISTS_TOTAL,
        ARTISTS_WOMEN,
    ],
};
