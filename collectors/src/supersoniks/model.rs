//! Supersoniks / SoTicket payloads (`/statement/closing`), shaped like the customer API's
//! OpenAPI (`/api/ministery/definition.yaml` on each customer domain). Money is euros as
//! JSON floats, read exactly ([`ExactDecimal`]); times are unix seconds.

use crate::api::mapping::Text;
use crate::exact_number::ExactDecimal;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// `{success, total, messages[], data[]}`: every answer, errors included.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    #[serde(default = "yes")]
    pub success: bool,
    #[serde(default)]
    pub total: Option<u64>,
    #[serde(default)]
    pub messages: Vec<Message>,
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub content: String,
    /// `error | status | warning | info`.
    #[serde(default)]
    pub status: String,
    /// `public | debug`.
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// A closing statement ("bordereau de clôture") of one session: aggregated per tariff.
#[derive(Clone, Debug, Deserialize)]
pub struct Statement {
    /// Euros, VAT included, every line summed (partial refunds included).
    #[serde(default)]
    pub revenue: Option<ExactDecimal>,
    #[serde(default)]
    pub tax_amount: Option<ExactDecimal>,
    #[serde(default)]
    pub sold: Option<i64>,
    /// Seats on sale (jauge).
    #[serde(default)]
    pub gauge: Option<i64>,
    #[serde(default)]
    pub internal_quota: Option<i64>,
    #[serde(default)]
    pub checked: Option<i64>,
    #[serde(default)]
    pub closing_date: Option<i64>,
    /// Sales on the venue's own ticketing.
    #[serde(default)]
    pub internals_prices: Vec<PriceLine>,
    /// Sales by resellers (FNAC, Digitick, Ticketmaster…).
    #[serde(default)]
    pub externals_prices: Vec<PriceLine>,
    /// Unused by releve (empty in the statements seen).
    #[serde(default)]
    pub prices: Vec<Value>,
    pub session: Session,
}

/// One tariff line. A partial refund is a line with a negative `amount` and `revenue` and
/// `quantity` 0.
#[derive(Clone, Debug, Deserialize)]
pub struct PriceLine {
    /// Unit price, euros VAT included.
    pub amount: ExactDecimal,
    pub quantity: ExactDecimal,
    pub revenue: ExactDecimal,
    #[serde(default)]
    pub title: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Session {
    pub id: Text,
    /// `event | subscribe | giftcard | additionalProduct`: only `event` is a show.
    #[serde(default)]
    pub entity_type: String,
    /// Unix seconds.
    #[serde(default)]
    pub start_date: Text,
    /// Unix seconds, 0 when none.
    #[serde(default)]
    pub end_date: Text,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub edito: Option<Edito>,
    #[serde(default)]
    pub multisession: Option<Multisession>,
    #[serde(default)]
    pub settings: Option<Settings>,
    /// Shape not documented: read leniently (see `normalise::venue`).
    #[serde(default)]
    pub location: Option<Value>,
    #[serde(default)]
    pub room: Option<Value>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Edito {
    #[serde(default)]
    pub title: String,
}

/// Shows with several dates share `multisession_id`.
#[derive(Clone, Debug, Deserialize)]
pub struct Multisession {
    #[serde(default)]
    pub id: Text,
    #[serde(default)]
    pub multisession_id: Text,
    #[serde(default)]
    pub title: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub tax: Option<Tax>,
    /// Minutes.
    #[serde(default)]
    pub duration: Option<i64>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub gauge: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Tax {
    #[serde(default)]
    pub title: String,
    /// A fraction (`0.055`).
    #[serde(default)]
    pub rate: Option<ExactDecimal>,
}

/// A statement kept as its exact text, typed later (one bad statement is quarantined alone).
pub type RawRow = Box<RawValue>;
