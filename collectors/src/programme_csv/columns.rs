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
// formats.md §4, added with the rules of issue 13.
pub const ASTP_MEMBER_THEATRE: &str = "astp_member_theatre";
pub const BAR_INCL_VAT: &str = "bar_incl_vat";
pub const BAR_VAT_RATE: &str = "bar_vat_rate";
pub const CATERING_INCL_VAT: &str = "catering_incl_vat";
pub const CATERING_VAT_RATE: &str = "catering_vat_rate";
pub const PROGRAMMES_INCL_VAT: &str = "programmes_incl_vat";
pub const PROGRAMMES_VAT_RATE: &str = "programmes_vat_rate";
pub const OTHER_INCL_VAT: &str = "other_incl_vat";
pub const OTHER_VAT_RATE: &str = "other_vat_rate";
pub const PUBLIC_DOMAIN: &str = "public_domain";
pub const WORKS: &str = "works";
pub const DURATION_MINUTES: &str = "duration_minutes";
pub const SACD_DOSSIER: &str = "sacd_dossier";
pub const AMATEUR: &str = "amateur";
// Added by releve: the producer's address (SACEM, ASTP and SACD forms ask for it).
pub const PRODUCER_ADDRESS: &str = "producer_address";

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
        ASTP_MEMBER_THEATRE,
        BAR_INCL_VAT,
        BAR_VAT_RATE,
        CATERING_INCL_VAT,
        CATERING_VAT_RATE,
        PROGRAMMES_INCL_VAT,
        PROGRAMMES_VAT_RATE,
        OTHER_INCL_VAT,
        OTHER_VAT_RATE,
        PUBLIC_DOMAIN,
        WORKS,
        DURATION_MINUTES,
        SACD_DOSSIER,
        AMATEUR,
        PRODUCER_ADDRESS,
    ],
};
