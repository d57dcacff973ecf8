//! `programme_ical`: the season as an iCalendar file (`.ics`, RFC 5545), as calendar tools and
//! many venue websites export it. One `VEVENT` = one performance = one programme row, mapped by
//! [`crate::programme_row`] with the same rules and quarantine reasons as `programme_csv`.
//!
//! # Properties read
//!
//! | property | column |
//! |---|---|
//! | `SUMMARY` | `show_title` |
//! | `DTSTART` | `starts_at`: `…Z` is UTC; `TZID=Europe/Paris` (or any IANA zone) is local time there; no zone ("floating") is Paris local time; a date without time (`VALUE=DATE`) is quarantined (a performance has a start time) |
//! | `LOCATION` | `venue_name` (the whole text) |
//! | `STATUS:CANCELLED` | `cancelled` = yes |
//! | `CATEGORIES` | `discipline`: the first category that is a discipline value (`theatre`, `danse`, …); when none is, the first category (quarantined as an unknown discipline); no category → quarantined (a discipline is never guessed) |
//! | `X-RELEVE-<COLUMN>` | any `programme_csv` column, upper case with `-` for `_`: `X-RELEVE-NUMERO-OBJET`, `X-RELEVE-CAPACITY`, `X-RELEVE-AUDIENCE`, `X-RELEVE-VENUE-POSTAL-CODE`, `X-RELEVE-VENUE-CITY`, `X-RELEVE-PRODUCER-NAME`, `X-RELEVE-FREE-ADMISSION`, `X-RELEVE-CREATION`, `X-RELEVE-PERFORMANCE-ID`, `X-RELEVE-DISCIPLINE`… They win over the standard properties above |
//!
//! Lines are unfolded (a line starting with a space or tab continues the previous one), text
//! values unescaped (`\,` `\;` `\n` `\\`), property names and parameters read without regard to
//! case. Other components (`VTIMEZONE`, `VALARM`, `VTODO`) are skipped. The "line" of a record
//! is the line of its `BEGIN:VEVENT`; its raw text is the event as written. UTF-8 is expected;
//! a file that is not valid UTF-8 is read as Windows-1252.

use crate::programme_row::{canonical_column, map_programme_row_raw};
use crate::{CollectorError, Record};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use releve_domain::Discipline;
use std::collections::HashMap;
use std::path::Path;

/// Reads an iCalendar file.
pub fn read(source_key: &str, path: &Path) -> Result<Vec<Record>, CollectorError> {
    let bytes = std::fs::read(path).map_err(|source| CollectorError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    parse(source_key, &text).map_err(|reason| CollectorError::Header {
        path: path.to_path_buf(),
        reason,
    })
}

/// One unfolded content line.
struct Prop {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

/// Parses calendar text; an error is the French reason the whole file is refused.
pub fn parse(source_key: &str, text: &str) -> Result<Vec<Record>, String> {
    // Unfold, keeping the physical line where each logical line starts.
    let mut lines: Vec<(u64, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (
            raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t')),
            lines.last_mut(),
        ) {
            (Some(rest), Some(last)) => last.1.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => lines.push((i as u64 + 1, raw.to_string())),
        }
    }
    if !lines
        .first()
        .is_some_and(|(_, l)| l.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(
            "ce n'est pas un fichier iCalendar : la première ligne doit être BEGIN:VCALENDAR"
                .into(),
        );
    }
    let mut records = Vec::new();
    let mut event: Option<(u64, Vec<Prop>, Vec<String>)> = None;
    let mut depth_in_event = 0;
    for (line, content) in &lines {
        let prop = split(content);
        let upper_value = prop.value.to_ascii_uppercase();
        if let Some((_, props, raw)) = event.as_mut() {
            raw.push(content.clone());
            if prop.name == "BEGIN" {
                depth_in_event += 1;
            } else if prop.name == "END" && depth_in_event > 0 {
                depth_in_event -= 1;
            } else if prop.name == "END" && upper_value == "VEVENT" {
                let (start, props, raw) = event.take().expect("in an event");
                records.push(map_event(source_key, start, &props, &raw.join("\n")));
            } else if depth_in_event == 0 {
                props.push(prop);
            }
        } else if prop.name == "BEGIN" && upper_value == "VEVENT" {
            event = Some((*line, Vec::new(), vec![content.clone()]));
            depth_in_event = 0;
        }
    }
    if let Some((start, _, _)) = event {
        return Err(format!(
            "l'événement commencé ligne {start} (BEGIN:VEVENT) n'est jamais fermé (END:VEVENT) ; \
             le fichier est tronqué"
        ));
    }
    Ok(records)
}

fn split(content: &str) -> Prop {
    // The name and parameters end at the first ':' outside double quotes.
    let mut in_quotes = false;
    let mut colon = content.len();
    for (i, c) in content.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = i;
                break;
            }
            _ => {}
        }
    }
    let head = &content[..colon];
    let value = content.get(colon + 1..).unwrap_or_default().to_string();
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    let params = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            (
                k.trim().to_ascii_uppercase(),
                v.trim_matches('"').to_string(),
            )
        })
        .collect();
    Prop {
        name,
        params,
        value,
    }
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a `CATEGORIES` value on unescaped commas.
fn categories(value: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("not empty").push(n);
                }
            }
            ',' => out.push(String::new()),
            other => out.last_mut().expect("not empty").push(other),
        }
    }
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn map_event(source_key: &str, line: u64, props: &[Prop], raw: &str) -> Record {
    let mut cells: HashMap<String, String> = HashMap::new();
    let mut extensions: Vec<(String, String)> = Vec::new();
    for p in props {
        match p.name.as_str() {
            "SUMMARY" => {
                cells.insert("show_title".into(), unescape(&p.value));
            }
            "DTSTART" => {
                cells.insert("starts_at".into(), dtstart(p));
            }
            "LOCATION" => {
                cells.insert("venue_name".into(), unescape(&p.value));
            }
            "STATUS" if p.value.trim().eq_ignore_ascii_case("CANCELLED") => {
                cells.insert("cancelled".into(), "yes".into());
            }
            "CATEGORIES" => {
                let all = categories(&p.value);
                let chosen = all
                    .iter()
                    .find(|c| Discipline::parse(c).is_some())
                    .or(all.first());
                if let Some(c) = chosen {
                    cells
                        .entry("discipline".into())
                        .or_insert_with(|| c.clone());
                }
            }
            name => {
                if let Some(column) = name.strip_prefix("X-RELEVE-") {
                    let column = column.to_ascii_lowercase().replace('-', "_");
                    if let Some(known) = canonical_column(&column).filter(|k| *k == column) {
                        extensions.push((known.to_string(), unescape(&p.value)));
                    }
                }
            }
        }
    }
    cells.extend(extensions);
    map_programme_row_raw(source_key, line, &cells, raw)
}

/// `DTSTART` as `programme_csv` reads `starts_at`: RFC 3339 for UTC and zoned times, Paris
/// local text for floating times; anything else is passed as written (and quarantined).
fn dtstart(p: &Prop) -> String {
    let v = p.value.trim();
    let naive = |s: &str| NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%S").ok();
    if let Some(utc) = v.strip_suffix('Z').or_else(|| v.strip_suffix('z')) {
        return match naive(utc) {
            Some(t) => t.and_utc().to_rfc3339(),
            None => v.to_string(),
        };
    }
    let Some(local) = naive(v) else {
        return v.to_string();
    };
    let tzid = p
        .params
        .iter()
        .find(|(k, _)| k == "TZID")
        .map(|(_, z)| z.trim_start_matches('/'));
    match tzid {
        None | Some("Europe/Paris") => local.format("%Y-%m-%d %H:%M:%S").to_string(),
        Some(zone) => match zone.parse::<Tz>() {
            Ok(tz) => match local.and_local_timezone(tz).single() {
                Some(t) => t.to_rfc3339(),
                None => format!("{v} (heure inexistante ou ambiguë dans le fuseau {zone})"),
            },
            Err(_) => format!("{v} (fuseau horaire inconnu {zone})"),
        },
    }
}

#[cfg(test)]
mod tests;
