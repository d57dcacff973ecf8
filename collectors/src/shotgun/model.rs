//! Shotgun payloads, shaped like the Smartboard API answers (`/tickets/sold`,
//! `/organizers/{id}/events`). Money and VAT are JSON floats read exactly
//! ([`ExactDecimal`]); ids are numbers on the wire, read as text.

use crate::api::mapping::Text;
use crate::exact_number::ExactDecimal;
use serde::Deserialize;
use serde_json::value::RawValue;

/// One page of `/tickets/sold`. With `cursor`, `pagination.next` is the URL of the next
/// page or `null`; without it, `pagination` carries `totalResults`/`totalPages`.
#[derive(Debug, Deserialize)]
pub struct TicketsPage<T> {
    #[serde(default)]
    pub pagination: Option<Pagination>,
    pub data: Vec<T>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Pagination {
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default, rename = "totalPages")]
    pub total_pages: Option<u64>,
}

/// A sold ticket. Buyer, UTM and scan fields are not read.
#[derive(Clone, Debug, Deserialize)]
pub struct SoldTicket {
    pub ticket_id: Text,
    #[serde(default)]
    pub order_id: Text,
    #[serde(default)]
    pub product_id: Text,
    pub event_id: Text,
    #[serde(default)]
    pub event_name: Option<String>,
    #[serde(default)]
    pub event_start_time: Option<String>,
    #[serde(default)]
    pub ordered_at: Option<String>,
    #[serde(default)]
    pub ticket_updated_at: Option<String>,
    #[serde(default)]
    pub cancelled_at: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    /// Euros, VAT included, organiser and buyer fees excluded (Shotgun support, per the
    /// ministry pilot): what the organiser receives for the admission.
    #[serde(default)]
    pub ticket_price: Option<ExactDecimal>,
    #[serde(default)]
    pub service_fee: Option<ExactDecimal>,
    #[serde(default)]
    pub user_service_fee: Option<ExactDecimal>,
    /// A fraction: `0.055`.
    #[serde(default)]
    pub vat_rate: Option<ExactDecimal>,
    #[serde(default)]
    pub ticket_title: Option<String>,
    #[serde(default)]
    pub ticket_sub_category: Option<serde_json::Value>,
    pub ticket_status: String,
}

/// `{data:[Event]}` of `/organizers/{id}/events`.
#[derive(Debug, Deserialize)]
pub struct EventsPage<T> {
    pub data: Vec<T>,
}

/// One Shotgun event = one performance.
#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    pub id: Text,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub slug: Option<String>,
    /// IANA zone of the event; used only when a time comes without an offset.
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default, rename = "startTime")]
    pub start_time: Option<String>,
    #[serde(default, rename = "endTime")]
    pub end_time: Option<String>,
    #[serde(default, rename = "cancelledAt")]
    pub cancelled_at: Option<String>,
    /// Tickets still on sale; `-1` when unlimited or unknown.
    #[serde(default, rename = "leftTicketsCount")]
    pub left_tickets_count: Option<i64>,
    #[serde(default)]
    pub deals: Vec<Deal>,
}

/// A tariff of an event.
#[derive(Clone, Debug, Deserialize)]
pub struct Deal {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub product_id: Text,
    #[serde(default)]
    pub price: Option<ExactDecimal>,
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub organizer_fees: Option<ExactDecimal>,
    #[serde(default)]
    pub user_fees: Option<ExactDecimal>,
}

/// A row kept as its exact text, typed later (so one bad row is quarantined alone).
pub type RawRow = Box<RawValue>;
