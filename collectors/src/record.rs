//! What a collector produces.

use releve_domain::{PerformanceRecord, ProgrammeEntry, Quarantined, Ticket};

#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Performance(PerformanceRecord),
    Ticket(Ticket),
    Programme(ProgrammeEntry),
    Quarantined(Quarantined),
}
