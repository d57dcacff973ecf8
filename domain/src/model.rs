//! The records every collector produces and every stage reads: organisations, venues,
//! performances seen by a ticketing source, tickets.

use crate::money::Money;
use crate::siret::Siret;
use crate::vat::VatRate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The licensed company or association using releve (`[[organisation]]` in the configuration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// `[a-z0-9-]+`, used in output paths and as the tenant key of every table.
    pub slug: String,
    pub name: String,
    pub siret: Siret,
    /// Licence / récépissé number.
    pub licence: Option<String>,
    /// Public or subsidised organiser (ASTP exemption rule).
    pub subsidised: bool,
    pub sacem_client_id: Option<String>,
    pub sacd_declarant_id: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// Its theatre belongs to the ASTP: humour and musicals performed there go to the ASTP
    /// fraction, not CNM (décret 2004-117 art. 1 II as amended in 2017).
    #[serde(default)]
    pub astp_member_theatre: bool,
    /// Intra-EU VAT number (SACD bordereau, sections E and F).
    #[serde(default)]
    pub vat_number: Option<String>,
}

impl Organisation {
    /// Whether a SIRET (or SIREN) given for a producer designates this organisation.
    pub fn is_same_company(&self, siret_or_siren: &str) -> bool {
        let digits: String = siret_or_siren
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        digits.len() >= 9 && digits[..9] == *self.siret.siren()
    }
}

/// Where a performance happens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    pub name: String,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// SIBIL `typeLieu` (`THEATRE`, `ESPACE_POLYVALENT`, … `AUTRE`).
    pub venue_type: Option<String>,
}

/// Who the spectators are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[default]
    ToutPublic,
    JeunePublic,
    Scolaire,
}

impl Audience {
    pub fn parse(text: &str) -> Option<Audience> {
        match crate::text::normalise_key(text)
            .replace([' ', '-'], "_")
            .as_str()
        {
            "" | "tout_public" => Some(Audience::ToutPublic),
            "jeune_public" => Some(Audience::JeunePublic),
            "scolaire" => Some(Audience::Scolaire),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Audience::ToutPublic => "tout_public",
            Audience::JeunePublic => "jeune_public",
            Audience::Scolaire => "scolaire",
        }
    }

    /// SIBIL `jeunePublic`: young and school audiences.
    pub fn is_young(self) -> bool {
        !matches!(self, Audience::ToutPublic)
    }
}

/// A performance as a ticketing source knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceRecord {
    /// The source key (`tickets_csv`, `billetweb`, …) the id belongs to.
    pub source: String,
    /// Stable id of the performance in that source.
    pub external_id: String,
    /// Stable id of the show in that source (defaults to the normalised title).
    pub show_id: String,
    pub show_title: String,
    pub starts_at: DateTime<Utc>,
    pub venue: Venue,
    pub capacity: Option<u32>,
    /// The source says the performance was cancelled.
    pub cancelled: bool,
}

impl PerformanceRecord {
    /// The id used in every output: `source:external_id`.
    pub fn performance_id(&self) -> String {
        format!("{}:{}", self.source, self.external_id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Valid,
    Refunded,
    Cancelled,
}

impl TicketStatus {
    pub fn parse(text: &str) -> Option<TicketStatus> {
        match crate::text::normalise_key(text).as_str() {
            "valid" => Some(TicketStatus::Valid),
            "refunded" => Some(TicketStatus::Refunded),
            "cancelled" | "canceled" => Some(TicketStatus::Cancelled),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TicketStatus::Valid => "valid",
            TicketStatus::Refunded => "refunded",
            TicketStatus::Cancelled => "cancelled",
        }
    }
}

/// Tariff family, which feeds the SIBIL full-price and subscription counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    Full,
    Reduced,
    Subscription,
    Free,
    Other,
}

impl PriceKind {
    pub fn parse(text: &str) -> Option<PriceKind> {
        match crate::text::normalise_key(text).as_str() {
            "full" => Some(PriceKind::Full),
            "reduced" => Some(PriceKind::Reduced),
            "subscription" => Some(PriceKind::Subscription),
            "free" => Some(PriceKind::Free),
            "other" => Some(PriceKind::Other),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PriceKind::Full => "full",
            PriceKind::Reduced => "reduced",
            PriceKind::Subscription => "subscription",
            PriceKind::Free => "free",
            PriceKind::Other => "other",
        }
    }
}

/// One admission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub source: String,
    /// Unique within the source; a later import of the same id replaces the ticket.
    pub ticket_id: String,
    /// `external_id` of the performance in the same source.
    pub performance_external_id: String,
    /// Amount paid, VAT included; zero for a free ticket.
    pub price_incl_vat: Money,
    /// Zero for free tickets without a rate.
    pub vat_rate: VatRate,
    pub status: TicketStatus,
    pub price_category: Option<String>,
    pub price_kind: Option<PriceKind>,
    pub sold_at: Option<DateTime<Utc>>,
}

impl Ticket {
    pub fn counts(&self) -> bool {
        self.status == TicketStatus::Valid
    }

    pub fn is_free(&self) -> bool {
        self.price_incl_vat.is_zero()
    }
}

/// The company that produces or sells a show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Producer {
    pub name: String,
    pub siret: Option<String>,
    /// Public or subsidised producer (ASTP rule); `None` when the programme does not say.
    pub subsidised: Option<bool>,
    /// Its address ("nom et coordonnées" on the SACEM état, the ASTP and SACD forms), when the
    /// programme gives it (`producer_address`).
    #[serde(default)]
    pub address: Option<String>,
}

/// A record that could not be mapped: kept with its raw payload and a reason in French, so that
/// nothing is lost and the administrator can fix the source.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarantined {
    /// Source key (`tickets_csv`, `billetweb`, …).
    pub source: String,
    /// Line in the file (header = line 1), when the source is a file.
    pub line: Option<u64>,
    /// Column (or JSON path) at fault, when known.
    pub column: Option<String>,
    /// What is wrong and what to do, in French.
    pub reason: String,
    /// The raw row or payload as received.
    pub raw: String,
}
