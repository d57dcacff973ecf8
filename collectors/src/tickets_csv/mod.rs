//! `tickets_csv`: the open ticket format (`formats.md` §3), one row per ticket (admission).
//!
//! # File
//!
//! Header row required. UTF-8 (a byte-order mark is tolerated) or Windows-1252; delimiter `,` or
//! `;`, detected on the header; header names trimmed, case ignored; extra columns ignored; blank
//! lines skipped. See [`crate::csv_input`] for the details. A missing required column stops the
//! source with [`CollectorError::Header`] naming the file and every missing column.
//!
//! # Columns
//!
//! | column | required | read as |
//! |---|---|---|
//! | `ticket_id` | yes | unique within the source; a later import of the same id replaces the ticket (refunds arrive this way) |
//! | `performance_id` | yes | stable id of the performance in the source system |
//! | `show_id` | no | stable id of the show; default: the normalised `show_title` (lower case, no accents, single spaces) |
//! | `show_title` | yes | |
//! | `starts_at` | yes | RFC 3339 with offset (`2025-11-14T20:30:00+01:00`), or `YYYY-MM-DD HH:MM[:SS]` (also `DD/MM/YYYY HH:MM`) read as Europe/Paris local time |
//! | `venue_name` | yes | |
//! | `venue_postal_code`, `venue_city`, `venue_address` | no | |
//! | `price_category` | no | label of the price category, kept as given ("Plein tarif", "Réduit", "Abonné", "Invitation") |
//! | `price_kind` | no | `full` \| `reduced` \| `subscription` \| `free` \| `other`; when empty, derived from `price_category` (table below) |
//! | `price_incl_vat` | yes | amount paid, VAT included, ≥ 0, at most two decimals, decimal `.` or `,` (`12,50`, `1 234.00`, `12 €`); `0` = free ticket |
//! | `vat_rate` | when price > 0 | percent: `0`, `2.1`, `5.5`, `10`, `20` (and `0.9`, `1.05`, `8.5` in Corsica and overseas); `5,5` and `5.5 %` accepted; empty on a free ticket = 0 |
//! | `status` | yes | `valid` \| `refunded` \| `cancelled` (`canceled` accepted); only `valid` tickets count |
//! | `sold_at` | no | timestamp of the sale, same forms as `starts_at` |
//!
//! The `vat_rate` column itself may be left out of the header when every ticket is free; any
//! paid row is then quarantined for its missing rate.
//!
//! # Records produced
//!
//! Each good row gives a [`Record::Ticket`]. The first good row of each `performance_id` gives a
//! [`Record::Performance`] just before its ticket (source = the source key, external id =
//! `performance_id`, venue from the venue columns, capacity unknown, not cancelled: capacity and
//! cancellation come from the programme).
//!
//! # Price categories → `price_kind`
//!
//! When `price_kind` is empty, the usual French labels of `price_category` give it, by exact
//! match of the whole label (case, accents and spacing ignored); any other label gives no
//! family (a partial match such as "Plein tarif groupe" is not guessed):
//!
//! | `price_category` | `price_kind` |
//! |---|---|
//! | Plein tarif, Tarif plein, Plein | `full` |
//! | Tarif réduit, Réduit | `reduced` |
//! | Abonné, Abonnés, Abonnement, Tarif abonné | `subscription` |
//! | Invitation, Invitations, Exonéré, Exonérés, Gratuit, Gratuité | `free` |
//!
//! # Quarantine
//!
//! A row that cannot be mapped becomes [`Record::Quarantined`] with its line (header = line 1),
//! the column at fault, a French reason (what is wrong, what is expected) and the row's raw
//! text. Nothing is dropped silently and nothing is guessed. The first problem of a row is
//! reported, checking columns in the order of the table above:
//!
//! - a required cell is empty;
//! - `price_incl_vat` unreadable, negative, or with more than two decimals;
//! - `vat_rate` unreadable or not a rate applied to tickets in France (`55` is a typo, not a
//!   rate), or missing on a ticket whose price is above zero;
//! - `starts_at` / `sold_at` unreadable, or a Paris local time that does not exist (spring
//!   forward, e.g. 2025-03-30 02:30) or exists twice (fall back, e.g. 2025-10-26 02:30: write the
//!   offset to say which);
//! - `status` other than valid / refunded / cancelled;
//! - `price_kind` unknown, or free (given, or derived from the category) while the price is
//!   above zero;
//! - a row whose `performance_id` was already seen with another title, start time or venue
//!   name (titles and venue names compared with case, accents and spacing ignored): the first
//!   row wins, the later one is quarantined naming the first row's line.
//!
//! An I/O error in the middle of the file ends the reading with one quarantine record saying from
//! which line on nothing was read.
//!
//! # Memory
//!
//! Rows are streamed; only the set of performances seen (id, title, start, venue name) is kept.

pub(crate) mod columns;
pub(crate) mod performances;
mod price_kind;
pub(crate) mod row;

pub use price_kind::from_category as price_kind_from_category;

use crate::csv_input::CsvInput;
use crate::{CollectorError, Record};
use performances::Performances;
use std::path::Path;

/// Opens a `tickets_csv` file: detects encoding and delimiter, checks the header.
pub fn read(source_key: &str, path: &Path) -> Result<TicketsReader, CollectorError> {
    Ok(TicketsReader {
        source: source_key.to_string(),
        input: CsvInput::open(path, &columns::SPEC)?,
        performances: Performances::default(),
        pending: None,
    })
}

/// The records of a `tickets_csv` file, one row at a time.
pub struct TicketsReader {
    source: String,
    input: CsvInput,
    performances: Performances,
    /// The ticket of a row whose performance record was just handed out.
    pending: Option<Record>,
}

impl TicketsReader {
    /// (bytes of the file read so far, file size), for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        self.input.progress()
    }
}

impl Iterator for TicketsReader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if let Some(record) = self.pending.take() {
            return Some(record);
        }
        let row = match self.input.next_row()? {
            Ok(row) => row,
            Err(failure) => return Some(Record::Quarantined(failure.quarantine(&self.source))),
        };
        let parsed = match row::parse(&self.source, &row) {
            Ok(parsed) => parsed,
            Err(error) => return Some(Record::Quarantined(row.quarantine(&self.source, error))),
        };
        match self.performances.admit(&parsed.performance, row.line) {
            Ok(true) => {
                self.pending = Some(Record::Ticket(parsed.ticket));
                Some(Record::Performance(parsed.performance))
            }
            Ok(false) => Some(Record::Ticket(parsed.ticket)),
            Err(error) => Some(Record::Quarantined(row.quarantine(&self.source, error))),
        }
    }
}

#[cfg(test)]
mod tests;
