//! Weezevent (classic public API) payloads. Ids are numbers or strings on the wire (ticket
//! ids are strings for resellers' tickets), read as text; prices are euros, JSON numbers or
//! decimal strings, read exactly ([`ExactDecimal`]); times are Paris local
//! `YYYY-MM-DD HH:MM:SS`, `0000-00-00 00:00:00` or `""` meaning none.

use crate::api::mapping::Text;
use crate::exact_number::ExactDecimal;
use serde::Deserialize;
use serde_json::value::RawValue;

/// `POST /auth/access_token`.
#[derive(Deserialize)]
pub struct TokenReply {
    #[serde(rename = "accessToken")]
    pub access_token: String,
}

/// `GET /events`.
#[derive(Debug, Deserialize)]
pub struct EventsReply {
    #[serde(default)]
    pub events: Vec<EventSummary>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EventSummary {
    pub id: Text,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub date: Option<Period>,
    #[serde(default)]
    pub participants: Text,
    /// `1` when the event has several dates (sessions from `/dates`).
    #[serde(default)]
    pub multiple_dates: Text,
}

impl EventSummary {
    pub fn is_multi_date(&self) -> bool {
        self.multiple_dates.as_str() == "1"
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Period {
    #[serde(default)]
    pub start: Text,
    #[serde(default)]
    pub end: Text,
}

/// `GET /event/{id}/details`: one event under `events` (an object, despite the name).
#[derive(Debug, Deserialize)]
pub struct DetailsReply {
    #[serde(default)]
    pub last_update: Option<String>,
    pub events: EventDetails,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EventDetails {
    pub id: Text,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub venue: Option<WeezVenue>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct WeezVenue {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub zip_code: String,
    #[serde(default)]
    pub city: String,
}

/// `GET /dates?id_event=…`.
#[derive(Debug, Deserialize)]
pub struct DatesReply {
    #[serde(default)]
    pub dates: Vec<Date>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Date {
    pub id: Text,
    pub id_event: Text,
    pub date: Text,
    #[serde(default)]
    pub tickets: Vec<Text>,
}

/// `GET /tickets?id_event[]=…`: price categories, nested in categories.
#[derive(Debug, Deserialize)]
pub struct TicketsReply {
    #[serde(default)]
    pub events: Vec<TicketsOfEvent>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TicketsOfEvent {
    pub id: Text,
    #[serde(default)]
    pub tickets: Vec<PriceCategory>,
    #[serde(default)]
    pub categories: Vec<Category>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Category {
    #[serde(default)]
    pub id: Text,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tickets: Vec<PriceCategory>,
    #[serde(default)]
    pub categories: Vec<Category>,
}

/// A "ticket" in Weezevent's words: a price category (tariff).
#[derive(Clone, Debug, Deserialize)]
pub struct PriceCategory {
    pub id: Text,
    #[serde(default)]
    pub name: String,
    /// Euros, VAT included.
    #[serde(default)]
    pub price: Option<ExactDecimal>,
    #[serde(default)]
    pub participants: Text,
    #[serde(default)]
    pub quota: Text,
}

/// `GET /participant/list`: rows kept as text, typed one by one.
#[derive(Debug, Deserialize)]
pub struct ParticipantsReply<T> {
    #[serde(default = "Vec::new")]
    pub participants: Vec<T>,
    #[serde(default)]
    pub server_time: Option<String>,
}

/// One admission. Owner and buyer fields (personal data) are not read.
#[derive(Clone, Debug, Deserialize)]
pub struct Participant {
    pub id_participant: Text,
    pub id_event: Text,
    /// `0` for a single-date event.
    #[serde(default)]
    pub id_date: Text,
    pub id_ticket: Text,
    #[serde(default)]
    pub deleted: Text,
    #[serde(default)]
    pub refund: Text,
    /// Only present when unpaid rows are asked for.
    #[serde(default)]
    pub paid: Text,
    #[serde(default)]
    pub create_date: Text,
    #[serde(default)]
    pub promo_code: Text,
    #[serde(default)]
    pub origin: Text,
}

pub type RawRow = Box<RawValue>;
