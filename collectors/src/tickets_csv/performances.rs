//! The performances seen so far in a file: the first row of a `performance_id` defines it,
//! later rows must agree on title, start time and venue name. Titles and venue names are
//! compared as in programme linking (case, accents and spacing ignored), so that "Les  vagues"
//! and "Les Vagues" are one performance; any other difference is a conflict.
//!
//! Memory: one entry per distinct performance, not per row.

use super::columns::{SHOW_TITLE, STARTS_AT, VENUE_NAME};
use crate::csv_input::CellError;
use chrono::{DateTime, Utc};
use releve_domain::calendar::rfc3339_paris;
use releve_domain::text::normalise_key;
use releve_domain::PerformanceRecord;
use std::collections::HashMap;

struct Seen {
    line: u64,
    title: String,
    starts_at: DateTime<Utc>,
    venue_name: String,
}

#[derive(Default)]
pub struct Performances {
    seen: HashMap<String, Seen>,
}

impl Performances {
    /// `Ok(true)` the first time a performance is seen, `Ok(false)` when it agrees with the
    /// first row, an error naming the first row when it does not.
    pub fn admit(&mut self, performance: &PerformanceRecord, line: u64) -> Result<bool, CellError> {
        self.admit_at(performance, line, "ligne")
    }

    /// [`Self::admit`] where rows are not file lines: `unit` names what `line` counts (the
    /// vendor push says « billet d'index »).
    pub fn admit_at(
        &mut self,
        performance: &PerformanceRecord,
        line: u64,
        unit: &str,
    ) -> Result<bool, CellError> {
        let Some(first) = self.seen.get(&performance.external_id) else {
            self.seen.insert(
                performance.external_id.clone(),
                Seen {
                    line,
                    title: performance.show_title.clone(),
                    starts_at: performance.starts_at,
                    venue_name: performance.venue.name.clone(),
                },
            );
            return Ok(true);
        };
        let conflict = if normalise_key(&first.title) != normalise_key(&performance.show_title) {
            Some((
                SHOW_TITLE,
                "un autre titre",
                first.title.clone(),
                performance.show_title.clone(),
            ))
        } else if first.starts_at != performance.starts_at {
            Some((
                STARTS_AT,
                "une autre date et heure",
                rfc3339_paris(first.starts_at),
                rfc3339_paris(performance.starts_at),
            ))
        } else if normalise_key(&first.venue_name) != normalise_key(&performance.venue.name) {
            Some((
                VENUE_NAME,
                "une autre salle",
                first.venue_name.clone(),
                performance.venue.name.clone(),
            ))
        } else {
            None
        };
        match conflict {
            None => Ok(false),
            Some((column, what, first_value, this_value)) => Err(CellError::at(
                column,
                format!(
                    "la représentation « {} » a déjà été lue {unit} {} avec {what} \
                     (« {first_value} » ; ici « {this_value} ») ; la première ligne est retenue. \
                     Une même représentation doit garder le même titre, la même date et heure et \
                     la même salle : corrigez la ligne fautive ou donnez-lui un autre \
                     performance_id",
                    performance.external_id, first.line
                ),
            )),
        }
    }
}
