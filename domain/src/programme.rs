//! A programme row: one performance of the season as the venue's calendar describes it
//! (`programme_csv`, spreadsheets, iCalendar, schema.org). It carries what ticketing does not
//! know: discipline, audience, producer, contracts, flags.

use crate::discipline::{Discipline, Fraction};
use crate::model::{Audience, Producer, Venue};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeEntry {
    /// The source key the row came from.
    pub source: String,
    /// Row number in the file (header = line 1), for messages.
    pub line: u64,
    /// Id of the performance in the ticketing source, when given.
    pub performance_id: Option<String>,
    pub show_title: String,
    pub starts_at: DateTime<Utc>,
    pub venue: Venue,
    pub capacity: Option<u32>,
    pub discipline: Discipline,
    pub audience: Audience,
    pub producer: Option<Producer>,
    pub free_admission: bool,
    pub cession_price_excl_vat: Option<Money>,
    /// Per-show override of the SACEM default of the discipline.
    pub sacem: Option<bool>,
    /// Per-show override of the SACD default of the discipline.
    pub sacd: Option<bool>,
    /// Per-show override of the CNM/ASTP fraction (for disciplines marked "review").
    pub tax_fraction: Option<Fraction>,
    pub creation: bool,
    /// Numéros d'objet carried by payroll contracts for this show.
    pub numero_objet: Vec<String>,
    pub cancelled: bool,
    /// Performance integrated into teaching sessions of a school (CNM/ASTP exemption).
    pub educational_session: bool,
    /// Amateur troupe paying no artist (ASTP exemption).
    pub amateur_unpaid: bool,
}
