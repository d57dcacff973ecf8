//! `programme_csv`: the open programme format (`formats.md` §4), one row per performance, as
//! venues keep their season calendar in a spreadsheet. It carries what ticketing does not know:
//! discipline, audience, producer, contracts, flags. Linking rows to ticketed performances is
//! not done here (see `releve_domain::linking`); this module only reads rows.
//!
//! # File
//!
//! Same rules as `tickets_csv` ([`crate::csv_input`]): header row required, UTF-8 (BOM
//! tolerated) or Windows-1252, delimiter `,` or `;` detected on the header, header names trimmed
//! and case ignored, extra columns ignored, blank lines skipped, decimal `.` or `,`. A missing
//! required column stops the source with [`CollectorError::Header`] naming every missing column.
//!
//! # Columns of `formats.md` §4
//!
//! | column | required | read as |
//! |---|---|---|
//! | `performance_id` | no | id of the performance in the ticketing source |
//! | `show_title` | yes | |
//! | `starts_at` | yes | RFC 3339 with offset, or `YYYY-MM-DD HH:MM[:SS]` (also `DD/MM/YYYY HH:MM`) in Europe/Paris local time |
//! | `venue_name` | yes | |
//! | `venue_postal_code`, `venue_city`, `venue_address` | no | |
//! | `venue_type` | no | SIBIL venue type: `THEATRE`, `ESPACE_POLYVALENT`, `CASINO_DISCOTHEQUE_HOTEL_CAFE_RESTAURANT`, `SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH`, `CABARET_MUSIC_HALL`, `PLEIN_AIR_PARC_LOISIRS_ATTRACTION`, `STRUCTURE_ITINERANTE_DEMONTABLE_CHAPITEAU`, `LIEU_DE_CULTE`, `LIEU_DE_SANTE`, `AUTRE` (case, accents, spaces and dashes tolerated) |
//! | `capacity` | no | jauge: whole number of seats on sale, above zero (`1 200` accepted) |
//! | `discipline` | yes | controlled value (`theatre`, `danse`, `chanson_variete`, …; case, accents, spaces and dashes tolerated) |
//! | `audience` | no | `tout_public` (default) \| `jeune_public` \| `scolaire` |
//! | `producer_name`, `producer_siret` | no | the company that produces/sells the show; SIRET (14 digits) or SIREN (9 digits), Luhn-checked |
//! | `producer_subsidised` | no | yes/no: public or subsidised producer (ASTP rule); empty = not said |
//! | `free_admission` | no | yes/no, empty = no |
//! | `cession_price_excl_vat` | no | amount, VAT excluded (`4 500,50`) |
//! | `sacem`, `sacd` | no | yes/no override of the discipline's default; empty = the default |
//! | `creation` | no | yes/no, empty = no |
//! | `numero_objet` | no | one or several "numéros d'objet" separated by `\|` (spaces around each trimmed, empty pieces dropped) |
//! | `cancelled` | no | yes/no, empty = no |
//!
//! # Columns added by releve
//!
//! | column | read as | feeds |
//! |---|---|---|
//! | `tax_fraction` | `cnm` \| `astp` \| `none` (`aucune` accepted); empty = the discipline's fraction | the per-show choice for disciplines the table leaves to review |
//! | `educational_session` | yes/no, empty = no | CNM/ASTP exemption of performances inside school teaching |
//! | `amateur_unpaid` | yes/no, empty = no | ASTP exemption of amateur troupes paying no artist |
//! | `contract_type` | `cession` \| `engagement` \| `coproduction` \| `coréalisation` \| `autre` (accents optional) | SACEM expenses |
//! | `frais_approche_excl_vat` | amount, VAT excluded | SACD, SACEM |
//! | `coproduction_contribution_excl_vat` | amount, VAT excluded | SACD "apport en coproduction" |
//! | `guarantee_excl_vat` | amount, VAT excluded | SACD "garantie de recette" |
//! | `off_site` | yes/no, empty = no | "hors les murs" indicators |
//! | `director_sex` | `f` / `femme` or `m` / `h` / `homme` | parity indicators |
//! | `artists_total`, `artists_women` | whole numbers; women ≤ total | parity indicators |
//!
//! Yes/no cells accept `yes`/`no`, `oui`/`non`, `true`/`false`, `vrai`/`faux`, `1`/`0` (any case).
//! Amounts accept `.` or `,` as decimal separator, spaces between thousands and a trailing `€`;
//! at most two decimals, never negative.
//!
//! # Records produced and quarantine
//!
//! Each good row gives one [`Record::Programme`] carrying its line number. A row that cannot be
//! read gives one [`Record::Quarantined`] (line, column at fault, French reason listing what is
//! accepted, raw row text); the first problem in the column order above is reported:
//!
//! - a required cell empty (`show_title`, `starts_at`, `venue_name`, `discipline`);
//! - `starts_at` unreadable, or a Paris local time skipped or repeated by a DST change;
//! - an unknown `discipline`, `audience`, `venue_type`, `tax_fraction` or `contract_type`, with
//!   the list of accepted values;
//! - a yes/no cell with another value; an unreadable, negative or over-precise amount;
//! - a `capacity`, `artists_total` or `artists_women` that is not a whole number, a capacity of
//!   0, more women than artists;
//! - `producer_subsidised` without a producer (name or SIRET), or an invalid SIRET/SIREN (a
//!   producer given by SIRET only is read with an empty name, for the company register).
//!
//! Nothing is dropped silently and nothing is guessed. Memory does not grow with the file.

mod columns;
mod row;
mod values;

pub use values::VENUE_TYPES;
// Shared with the other programme sources (spreadsheets, calendars, JSON-LD) through
// `crate::programme_row`, so that one row mapping serves them all.
pub(crate) use columns::SPEC;
pub(crate) use row::parse as parse_row;

use crate::csv_input::CsvInput;
use crate::{CollectorError, Record};
use std::path::Path;

/// Opens a `programme_csv` file: detects encoding and delimiter, checks the header.
pub fn read(source_key: &str, path: &Path) -> Result<ProgrammeReader, CollectorError> {
    Ok(ProgrammeReader {
        source: source_key.to_string(),
        input: CsvInput::open(path, &columns::SPEC)?,
    })
}

/// The records of a `programme_csv` file, one row at a time.
pub struct ProgrammeReader {
    source: String,
    input: CsvInput,
}

impl ProgrammeReader {
    /// (bytes of the file read so far, file size), for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        self.input.progress()
    }
}

impl Iterator for ProgrammeReader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let row = match self.input.next_row()? {
            Ok(row) => row,
            Err(failure) => return Some(Record::Quarantined(failure.quarantine(&self.source))),
        };
        Some(match row::parse(&self.source, &row) {
            Ok(entry) => Record::Programme(entry),
            Err(error) => Record::Quarantined(row.quarantine(&self.source, error)),
        })
    }
}

#[cfg(test)]
mod tests;
