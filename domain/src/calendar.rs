//! The Europe/Paris calendar: months, quarters, local dates and deadlines.
//!
//! Instants are UTC; every calendar notion is computed in Europe/Paris (`domain.md` §2): a
//! performance at 23:30 on 30 November (22:30 UTC) belongs to November, one at 00:30 on
//! 1 December belongs to December.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

pub const PARIS: Tz = chrono_tz::Europe::Paris;

/// The calendar date of an instant in Paris.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&PARIS).date_naive()
}

/// RFC 3339 with the Paris offset, seconds precision: `2025-11-14T20:30:00+01:00`.
pub fn rfc3339_paris(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&PARIS)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Local time of day in Paris, `HH:MM`.
pub fn local_time_hhmm(instant: DateTime<Utc>) -> String {
    instant.with_timezone(&PARIS).format("%H:%M").to_string()
}

/// Why a Paris wall-clock time does not name exactly one instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("l'heure {0} n'existe pas à Paris (passage à l'heure d'été)")]
    Nonexistent(NaiveDateTime),
    #[error("l'heure {0} est ambiguë à Paris (passage à l'heure d'hiver) : précisez le décalage, par exemple +01:00")]
    Ambiguous(NaiveDateTime),
}

/// A Paris wall-clock time as an instant. Never guesses across a DST change.
pub fn from_paris_local(naive: NaiveDateTime) -> Result<DateTime<Utc>, LocalTimeError> {
    match PARIS.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeError::Nonexistent(naive)),
        LocalResult::Ambiguous(_, _) => Err(LocalTimeError::Ambiguous(naive)),
    }
}

/// Why a date-time text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateTimeError {
    #[error("date et heure illisibles : « {0} » (attendu : 2025-11-14T20:30:00+01:00, 2025-11-14 20:30 ou 14/11/2025 20:30)")]
    Unreadable(String),
    #[error(transparent)]
    Local(#[from] LocalTimeError),
}

/// Reads RFC 3339 with offset, or a Paris local time `YYYY-MM-DD HH:MM[:SS]` (also with `T`),
/// or the French spreadsheet form `DD/MM/YYYY HH:MM[:SS]`.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, DateTimeError> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    const LOCAL_FORMATS: [&str; 6] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    for format in LOCAL_FORMATS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, format) {
            return Ok(from_paris_local(naive)?);
        }
    }
    Err(DateTimeError::Unreadable(t.to_string()))
}

pub fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1).expect("valid month") - Duration::days(1)
}

/// A calendar month (Paris).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mois invalide : « {0} » (attendu : AAAA-MM, par exemple 2025-11)")]
pub struct MonthError(pub String);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn of_date(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The month of an instant, on the Paris calendar.
    pub fn of_instant(instant: DateTime<Utc>) -> Month {
        Month::of_date(local_date(instant))
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        last_day_of_month(self.year, self.month)
    }

    pub fn next(self) -> Month {
        self.plus(1)
    }

    pub fn previous(self) -> Month {
        self.plus(-1)
    }

    pub fn plus(self, months: i32) -> Month {
        let index = self.year * 12 + self.month as i32 - 1 + months;
        Month {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: (self.month - 1) / 3 + 1,
        }
    }

    /// First instant of the month in Paris, as UTC.
    pub fn start_utc(self) -> DateTime<Utc> {
        start_of_day_utc(self.first_day())
    }

    /// First instant of the next month in Paris, as UTC (exclusive end).
    pub fn end_utc(self) -> DateTime<Utc> {
        self.next().start_utc()
    }

    /// The month before the one containing `now` (the default of `releve run`).
    pub fn previous_of(now: DateTime<Utc>) -> Month {
        Month::of_instant(now).previous()
    }

    /// French label: `novembre 2025`.
    pub fn to_french(self) -> String {
        const NAMES: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        format!("{} {}", NAMES[self.month as usize - 1], self.year)
    }
}

/// Midnight in Paris of a date, as UTC (midnight always exists in Paris).
pub fn start_of_day_utc(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight");
    PARIS
        .from_local_datetime(&naive)
        .earliest()
        .expect("midnight exists in Paris")
        .with_timezone(&Utc)
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(s: &str) -> Result<Month, MonthError> {
        let err = || MonthError(s.to_string());
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        Month::new(year, month).ok_or_else(err)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A calendar quarter, `2025-Q4`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    quarter: u32,
}

impl Quarter {
    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u32 {
        self.quarter
    }

    pub fn first_month(self) -> Month {
        Month {
            year: self.year,
            month: (self.quarter - 1) * 3 + 1,
        }
    }

    pub fn last_month(self) -> Month {
        self.first_month().plus(2)
    }

    pub fn months(self) -> [Month; 3] {
        let f = self.first_month();
        [f, f.plus(1), f.plus(2)]
    }

    pub fn next(self) -> Quarter {
        self.last_month().next().quarter()
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of_date(date).quarter() == self
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn late_night_belongs_to_the_paris_day() {
        // 23:30 on 30 November in Paris is 22:30 UTC: still November.
        let late = parse_instant("2025-11-30 23:30").unwrap();
        assert_eq!(late, utc("2025-11-30T22:30:00Z"));
        assert_eq!(Month::of_instant(late).to_string(), "2025-11");
        // 00:30 on 1 December in Paris is 23:30 UTC on 30 November: December.
        let early = parse_instant("2025-12-01T00:30:00+01:00").unwrap();
        assert_eq!(early, utc("2025-11-30T23:30:00Z"));
        assert_eq!(Month::of_instant(early).to_string(), "2025-12");
        assert_eq!(rfc3339_paris(late), "2025-11-30T23:30:00+01:00");
    }

    #[test]
    fn summer_time_offsets() {
        let t = parse_instant("2025-06-30 23:30").unwrap();
        assert_eq!(rfc3339_paris(t), "2025-06-30T23:30:00+02:00");
        assert_eq!(parse_instant("30/06/2025 23:30").unwrap(), t);
    }

    #[test]
    fn dst_gaps_and_overlaps_are_refused() {
        assert!(matches!(
            parse_instant("2025-03-30 02:30"),
            Err(DateTimeError::Local(LocalTimeError::Nonexistent(_)))
        ));
        assert!(matches!(
            parse_instant("2025-10-26 02:30"),
            Err(DateTimeError::Local(LocalTimeError::Ambiguous(_)))
        ));
        assert!(parse_instant("2025-10-26T02:30:00+01:00").is_ok());
        assert!(matches!(
            parse_instant("demain"),
            Err(DateTimeError::Unreadable(_))
        ));
    }

    #[test]
    fn months_and_quarters() {
        let m: Month = "2025-11".parse().unwrap();
        assert_eq!(m.quarter().to_string(), "2025-Q4");
        assert_eq!(m.plus(3).last_day().to_string(), "2026-02-28");
        assert_eq!(m.next().next().to_string(), "2026-01");
        assert_eq!(m.quarter().next().to_string(), "2026-Q1");
        assert_eq!(m.previous().to_string(), "2025-10");
        assert!("2025-13".parse::<Month>().is_err());
        assert!("25-11".parse::<Month>().is_err());
        assert_eq!(m.start_utc(), utc("2025-10-31T23:00:00Z"));
        assert_eq!(m.end_utc(), utc("2025-11-30T23:00:00Z"));
        assert_eq!(
            Month::previous_of(utc("2026-01-01T00:10:00+01:00")).to_string(),
            "2025-12"
        );
        assert_eq!(m.to_french(), "novembre 2025");
    }
}
