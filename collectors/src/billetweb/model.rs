//! Billetweb payloads, as far as releve reads them. Most fields are strings on the wire but
//! vary (numbers, `false`, `null`), hence [`Text`].

use crate::api::mapping::Text;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    pub id: Text,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub start: Text,
    #[serde(default)]
    pub multiple: Text,
    #[serde(default)]
    pub place: Text,
    /// Percent (`"5.5"`); the public doc calls it `tax`, production sends `tax_rate`.
    #[serde(default)]
    pub tax_rate: Text,
    #[serde(default)]
    pub tax: Text,
}

impl Event {
    pub fn is_multi_date(&self) -> bool {
        self.multiple.as_str() == "1"
    }

    pub fn rate_text(&self) -> &str {
        if self.tax_rate.is_empty() {
            self.tax.as_str()
        } else {
            self.tax_rate.as_str()
        }
    }
}

/// A session of a multi-date event.
#[derive(Clone, Debug, Deserialize)]
pub struct Session {
    pub id: Text,
    pub start: Text,
    #[serde(default)]
    pub place: Text,
    #[serde(default)]
    pub quota: Text,
}

/// A tariff ("tarif").
#[derive(Clone, Debug, Deserialize)]
pub struct Tariff {
    pub id: Text,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub price: Text,
    /// Percent overriding the event's rate when non-empty.
    #[serde(default)]
    pub tax: Text,
    /// Billetweb's fee per ticket sold online, or `false`.
    #[serde(default)]
    pub commission: Text,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Attendee {
    pub id: Text,
    /// Only in the global `/attendees` listing.
    #[serde(default)]
    pub event: Text,
    #[serde(default)]
    pub ticket: String,
    #[serde(default)]
    pub ticket_id: Text,
    pub price: Text,
    #[serde(default)]
    pub disabled: Text,
    #[serde(default)]
    pub pass: Text,
    #[serde(default)]
    pub order_paid: Text,
    #[serde(default)]
    pub order_payment_type: Text,
    #[serde(default)]
    pub order_session: Text,
    #[serde(default)]
    pub order_date: Text,
}

/// The error object Billetweb returns instead of an array.
#[derive(Clone, Debug, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default)]
    pub description: String,
}
