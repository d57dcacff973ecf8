//! Mapado (Hydra) payloads, as far as releve reads them.

use crate::api::mapping::Text;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct HydraView {
    #[serde(default, rename = "hydra:next")]
    pub next: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Collection<T> {
    #[serde(rename = "hydra:member")]
    pub member: Vec<T>,
    #[serde(default, rename = "hydra:totalItems")]
    pub total_items: Option<u64>,
    #[serde(default, rename = "hydra:view")]
    pub view: Option<HydraView>,
    /// Older form the pilot reads; a page number or a link.
    #[serde(default, rename = "hydra:nextPage")]
    pub next_page: Text,
}

impl<T> Collection<T> {
    pub fn has_next(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.next.is_some()) || !self.next_page.is_empty()
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Tax {
    #[serde(default)]
    pub rate: Text,
    #[serde(default, rename = "countryCode")]
    pub country_code: Text,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketPrice {
    #[serde(rename = "@id")]
    pub iri: String,
    #[serde(default, rename = "type")]
    pub price_type: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Cents.
    #[serde(default)]
    pub facial_value: Option<i64>,
    /// Euros.
    #[serde(default)]
    pub value_incvat: Text,
    #[serde(default)]
    pub tax: Option<Tax>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDate {
    #[serde(rename = "@id")]
    pub iri: String,
    #[serde(default)]
    pub ticketing: Option<String>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub start_of_event_day: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub total_stock: Option<i64>,
    #[serde(default)]
    pub ticket_price_list: Option<Vec<TicketPrice>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapadoVenue {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub zip_code: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticketing {
    #[serde(rename = "@id")]
    pub iri: String,
    #[serde(default, rename = "type")]
    pub ticketing_type: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub event_date_list: Vec<String>,
    #[serde(default)]
    pub venue: Option<MapadoVenue>,
}

impl Ticketing {
    /// Dated, in euros, in France (Corsica has its own code at Mapado).
    pub fn is_french_dated_event(&self) -> bool {
        let country = self.venue.as_ref().and_then(|v| v.country_code.as_deref());
        self.ticketing_type.as_deref() == Some("dated_events")
            && self.currency.as_deref().unwrap_or("EUR") == "EUR"
            && matches!(country, None | Some("") | Some("FR") | Some("CORSE"))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    #[serde(rename = "@id")]
    pub iri: String,
    #[serde(default)]
    pub status: Option<String>,
    /// Cents; may be null or negative on valid tickets.
    #[serde(default)]
    pub facial_value: Option<i64>,
    #[serde(default)]
    pub ticket_price: Option<String>,
    #[serde(default)]
    pub event_date: Option<String>,
    #[serde(default)]
    pub imported: Option<bool>,
    #[serde(default)]
    pub bought_at: Option<String>,
}

/// `/v1/event_dates/44001` → `44001`.
pub fn short_id(iri: &str) -> &str {
    iri.trim_end_matches('/').rsplit('/').next().unwrap_or(iri)
}
