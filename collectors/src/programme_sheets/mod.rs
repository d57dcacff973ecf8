//! `programme_xlsx` and `programme_ods`: the season as venues keep it in a spreadsheet (Excel
//! `.xlsx`, LibreOffice/OpenOffice `.ods`), with the `programme_csv` columns or their French
//! headers ("Titre", "Date", "Heure", "Salle", "Jauge", "Discipline", "Public", "Producteur",
//! "Gratuit", "Annulé", "Création", "Numéro d'objet", … — the full list is in
//! [`crate::programme_row`]).
//!
//! # Reading
//!
//! - The first sheet of the workbook is read (name it as you like).
//! - The first non-empty row is the header; unknown headers are ignored; a missing required
//!   column (`show_title`, `starts_at` — or `Date` and `Heure` —, `venue_name`, `discipline`)
//!   stops the source with [`CollectorError::Header`] naming every missing column, like the CSV.
//! - Each following non-empty row becomes a header → text map and goes through
//!   [`crate::programme_row::map_programme_row`]: the same values, rules and quarantine reasons
//!   as `programme_csv`. Line numbers are the spreadsheet's row numbers.
//! - Cell values are turned into the text a user sees: date cells → `YYYY-MM-DD`, time cells →
//!   `HH:MM`, date-time cells → `YYYY-MM-DD HH:MM` (Paris local time, as in the CSV), whole
//!   numbers without decimals, booleans → `yes`/`no`; an error cell (`#N/A`…) reads as
//!   `#erreur` and is quarantined by the column that reads it. Decimal number cells are written
//!   with the shortest text that reads back to the same value, which is what the user typed
//!   (`4500.5`); amounts then follow the CSV rules.
//!
//! A workbook is read whole into memory (calamine): seasons hold hundreds of rows, not millions.

use crate::programme_row::{canonical_column, map_programme_row, DATE, TIME};
use crate::{CollectorError, Record};
use calamine::{open_workbook_auto, Data, DataType, Reader};
use std::collections::HashMap;
use std::path::Path;

/// Reads a programme spreadsheet (`.xlsx`, `.xlsm` or `.ods`).
pub fn read(source_key: &str, path: &Path) -> Result<Vec<Record>, CollectorError> {
    let header_err = |reason: String| CollectorError::Header {
        path: path.to_path_buf(),
        reason,
    };
    // calamine wraps I/O errors in its format errors: look at the file first.
    std::fs::metadata(path).map_err(|source| CollectorError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut workbook = open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(source) => CollectorError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => header_err(format!(
            "classeur illisible ({other}) ; enregistrez-le au format .xlsx ou .ods"
        )),
    })?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| header_err("le classeur n'a aucune feuille".into()))?
        .map_err(|e| header_err(format!("première feuille illisible ({e})")))?;
    let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i as u64 + 1, cells))
        .filter(|(_, cells)| cells.iter().any(|c| !cell_text(c).is_empty()));
    let Some((_, header)) = rows.next() else {
        return Err(header_err(
            "la feuille est vide : la première ligne doit nommer les colonnes".into(),
        ));
    };
    let columns: Vec<Option<&'static str>> = header
        .iter()
        .map(|c| canonical_column(&cell_text(c)))
        .collect();
    check_header(&columns, header).map_err(header_err)?;
    Ok(rows
        .map(|(line, cells)| {
            let mut map = HashMap::new();
            for (column, cell) in columns.iter().zip(cells) {
                if let Some(name) = column {
                    map.insert(name.to_string(), cell_text(cell));
                }
            }
            map_programme_row(source_key, line, &map)
        })
        .collect())
}

fn check_header(columns: &[Option<&'static str>], header: &[Data]) -> Result<(), String> {
    let has = |name: &'static str| columns.contains(&Some(name));
    let mut missing = Vec::new();
    for required in ["show_title", "venue_name", "discipline"] {
        if !has(required) {
            missing.push(required);
        }
    }
    let date_and_time = has(DATE) && has(TIME);
    if !has("starts_at") && !date_and_time {
        missing.push("starts_at (ou Date et Heure)");
    }
    for (i, c) in columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
    {
        if columns[..i].contains(&Some(c)) {
            return Err(format!(
                "la colonne « {} » apparaît deux fois ; gardez-en une seule",
                cell_text(&header[i])
            ));
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let found: Vec<String> = header
        .iter()
        .map(cell_text)
        .filter(|t| !t.is_empty())
        .collect();
    Err(format!(
        "colonnes obligatoires absentes : {} (colonnes trouvées : {}) ; ajoutez-les à la \
         première ligne de la feuille",
        missing.join(", "),
        found.join(", ")
    ))
}

/// The text a user sees in a cell.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            match cell.as_datetime() {
                Some(t) if serial < 1.0 => t.format("%H:%M").to_string(),
                Some(t) if serial.fract() == 0.0 => t.format("%Y-%m-%d").to_string(),
                Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
                None => "#erreur".to_string(),
            }
        }
        Data::DateTimeIso(s) => s.replacen('T', " ", 1),
        Data::DurationIso(s) => iso_duration_time(s).unwrap_or_else(|| s.clone()),
        Data::Error(_) => "#erreur".to_string(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// `PT20H30M00S` → `20:30`.
fn iso_duration_time(s: &str) -> Option<String> {
    let rest = s.strip_prefix("PT")?;
    let (h, rest) = rest.split_once('H')?;
    let (m, _) = rest.split_once('M').unwrap_or((rest, ""));
    let h: u32 = h.parse().ok()?;
    let m: u32 = if m.is_empty() { 0 } else { m.parse().ok()? };
    Some(format!("{h:02}:{m:02}"))
}

#[cfg(test)]
mod tests;
