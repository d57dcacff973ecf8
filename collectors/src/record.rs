//! What a collector produces.

use releve_domain::{PerformanceRecord, ProgrammeEntry, Quarantined, Ticket};

// Records are streamed and consumed one at a time, so the size of the programme variant (its
// form-only columns) costs nothing worth an allocation per row.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Performance(PerformanceRecord),
    Ticket(Ticket),
    Programme(ProgrammeEntry),
    Quarantined(Quarantined),
}
