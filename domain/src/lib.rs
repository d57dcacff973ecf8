//! releve-domain: the vocabulary every other crate speaks.
//!
//! Organisations, venues, shows, performances and tickets; money and VAT; the Europe/Paris
//! calendar (months, quarters, deadlines); the discipline table that routes a show to the
//! right declarations; dated rules (rates, thresholds, deadlines); the linking of programme
//! rows to ticketed performances; and the monthly per-performance facts that declarations
//! and indicators are computed from. This crate does no I/O at all: the clock is injected and
//! every function is deterministic.

pub mod calendar;
pub mod clock;
pub mod corrections;
pub mod discipline;
pub mod employment;
pub mod employment_facts;
pub mod facts;
pub mod issue;
pub mod linking;
pub mod model;
pub mod money;
pub mod programme;
pub mod rules;
pub mod siret;
pub mod text;
pub mod vat;

#[cfg(any(test, feature = "test-support"))]
pub mod testing;

#[cfg(test)]
mod properties;

pub use calendar::{Month, Quarter, PARIS};
pub use clock::{Clock, FixedClock, SystemClock};
pub use discipline::{Discipline, DisciplineTable, Fraction, Repertoire};
pub use facts::{MonthFacts, PerformanceFacts, VatBreakdown};
pub use issue::{Issue, Severity};
pub use model::{
    Audience, Organisation, PerformanceRecord, PriceKind, Producer, Quarantined, Ticket,
    TicketStatus, Venue,
};
pub use money::Money;
pub use programme::{ContractType, ProgrammeEntry};
pub use rules::Rules;
pub use siret::Siret;
pub use vat::VatRate;
