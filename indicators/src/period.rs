//! Reporting periods: a month, a calendar year, or a season (September → August by default,
//! start month configurable), each with the previous period of the same kind, shown beside
//! every figure.

use crate::error::IndicatorError;
use releve_domain::Month;
use serde::Serialize;
use std::fmt;

/// Default first month of a season: September.
pub const DEFAULT_SEASON_START: u32 = 9;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Month(Month),
    /// January → December.
    Year(i32),
    /// Twelve months from `start_month` of `start_year`.
    Season {
        start_year: i32,
        start_month: u32,
    },
}

impl Period {
    /// The season starting in `start_month` of `start_year`. A start month outside 1..=12 is
    /// refused.
    pub fn season(start_year: i32, start_month: u32) -> Result<Period, IndicatorError> {
        if !(1..=12).contains(&start_month) {
            return Err(IndicatorError::Period(format!(
                "mois de début de saison invalide : {start_month} (attendu : 1 à 12, 9 pour septembre)"
            )));
        }
        Ok(Period::Season {
            start_year,
            start_month,
        })
    }

    /// Reads `2025-2026` (two consecutive years) as the season starting in `start_month` 2025.
    /// A season starting in January is written with one year (`2025`) or `2025-2025`.
    pub fn parse_season(text: &str, start_month: u32) -> Result<Period, IndicatorError> {
        let bad = || {
            IndicatorError::Period(format!(
                "saison illisible : « {} » (attendu : deux années consécutives, par exemple 2025-2026)",
                text.trim()
            ))
        };
        let t = text.trim();
        let (first, second) = match t.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        let first: i32 = first.trim().parse().map_err(|_| bad())?;
        let expected_second = if start_month == 1 { first } else { first + 1 };
        match second {
            Some(s) if s.trim().parse::<i32>().map_err(|_| bad())? != expected_second => {
                return Err(bad())
            }
            None if start_month != 1 => return Err(bad()),
            _ => {}
        }
        Period::season(first, start_month)
    }

    pub fn first_month(self) -> Month {
        match self {
            Period::Month(m) => m,
            Period::Year(y) => Month::new(y, 1).expect("January"),
            Period::Season {
                start_year,
                start_month,
            } => Month::new(start_year, start_month).expect("checked start month"),
        }
    }

    pub fn last_month(self) -> Month {
        match self {
            Period::Month(m) => m,
            _ => self.first_month().plus(11),
        }
    }

    /// Every month of the period, in order.
    pub fn months(self) -> Vec<Month> {
        let count = match self {
            Period::Month(_) => 1,
            _ => 12,
        };
        (0..count).map(|i| self.first_month().plus(i)).collect()
    }

    pub fn contains(self, month: Month) -> bool {
        self.first_month() <= month && month <= self.last_month()
    }

    /// The period of the same kind just before.
    pub fn previous(self) -> Period {
        match self {
            Period::Month(m) => Period::Month(m.previous()),
            Period::Year(y) => Period::Year(y - 1),
            Period::Season {
                start_year,
                start_month,
            } => Period::Season {
                start_year: start_year - 1,
                start_month,
            },
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Period::Month(_) => "month",
            Period::Year(_) => "year",
            Period::Season { .. } => "season",
        }
    }

    /// French wording: `novembre 2025`, `année 2025`, `saison 2025-2026`.
    pub fn to_french(self) -> String {
        match self {
            Period::Month(m) => m.to_french(),
            Period::Year(y) => format!("année {y}"),
            Period::Season { .. } => format!("saison {self}"),
        }
    }
}

/// `2025-11`, `2025`, `2025-2026` (a season starting in January: `2025`).
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(m) => write!(f, "{m}"),
            Period::Year(y) => write!(f, "{y}"),
            Period::Season {
                start_year,
                start_month,
            } => {
                if *start_month == 1 {
                    write!(f, "{start_year}")
                } else {
                    write!(f, "{}-{}", start_year, start_year + 1)
                }
            }
        }
    }
}

/// `{ "kind": "season", "id": "2025-2026", "first_month": "2025-09", "last_month": "2026-08" }`.
impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Period", 4)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("id", &self.to_string())?;
        st.serialize_field("first_month", &self.first_month().to_string())?;
        st.serialize_field("last_month", &self.last_month().to_string())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    #[test]
    fn season_2025_2026_runs_from_september_to_august() {
        let s = Period::parse_season("2025-2026", DEFAULT_SEASON_START).unwrap();
        assert_eq!(s.first_month(), m(2025, 9));
        assert_eq!(s.last_month(), m(2026, 8));
        assert_eq!(s.months().len(), 12);
        assert!(s.contains(m(2026, 1)));
        assert!(!s.contains(m(2025, 8)));
        assert!(!s.contains(m(2026, 9)));
        let p = s.previous();
        assert_eq!(p.to_string(), "2024-2025");
        assert_eq!(p.first_month(), m(2024, 9));
        assert_eq!(p.last_month(), m(2025, 8));
        assert_eq!(s.to_french(), "saison 2025-2026");
    }

    #[test]
    fn configurable_start_month_and_other_periods() {
        let s = Period::parse_season("2025-2026", 7).unwrap();
        assert_eq!(s.first_month(), m(2025, 7));
        assert_eq!(s.last_month(), m(2026, 6));
        let jan = Period::parse_season("2025", 1).unwrap();
        assert_eq!(jan.last_month(), m(2025, 12));
        assert_eq!(Period::Year(2025).previous(), Period::Year(2024));
        assert_eq!(
            Period::Month(m(2026, 1)).previous(),
            Period::Month(m(2025, 12))
        );
        assert!(Period::parse_season("2025-2027", 9).is_err());
        assert!(Period::parse_season("saison", 9).is_err());
        assert!(Period::season(2025, 13).is_err());
    }
}
