//! Column names of `tickets_csv` (`formats.md` §3).

use crate::csv_input::ColumnSpec;

pub const TICKET_ID: &str = "ticket_id";
pub const PERFORMANCE_ID: &str = "performance_id";
pub const SHOW_ID: &str = "show_id";
pub const SHOW_TITLE: &str = "show_title";
pub const STARTS_AT: &str = "starts_at";
pub const VENUE_NAME: &str = "venue_name";
pub const VENUE_POSTAL_CODE: &str = "venue_postal_code";
pub const VENUE_CITY: &str = "venue_city";
pub const VENUE_ADDRESS: &str = "venue_address";
pub const PRICE_CATEGORY: &str = "price_category";
pub const PRICE_KIND: &str = "price_kind";
pub const PRICE_INCL_VAT: &str = "price_incl_vat";
pub const VAT_RATE: &str = "vat_rate";
pub const STATUS: &str = "status";
pub const SOLD_AT: &str = "sold_at";

/// `vat_rate` is optional in the header: it is only required on rows with a price above zero.
pub const SPEC: ColumnSpec = ColumnSpec {
    required: &[
        TICKET_ID,
        PERFORMANCE_ID,
        SHOW_TITLE,
        STARTS_AT,
        VENUE_NAME,
        PRICE_INCL_VAT,
        STATUS,
    ],
    optional: &[
        SHOW_ID,
        VENUE_POSTAL_CODE,
        VENUE_CITY,
        VENUE_ADDRESS,
        PRICE_CATEGORY,
        PRICE_KIND,
        VAT_RATE,
        SOLD_AT,
    ],
};
