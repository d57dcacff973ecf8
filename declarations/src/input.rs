//! What a declaration is built from.

use chrono::{DateTime, Utc};
use releve_domain::{DisciplineTable, MonthFacts, Rules};

pub struct BuildInput<'a> {
    pub facts: &'a MonthFacts,
    pub rules: &'a Rules,
    pub disciplines: &'a DisciplineTable,
    /// The generation time (`--generated-at`), printed on documents; never read from a clock.
    pub generated_at: DateTime<Utc>,
}
