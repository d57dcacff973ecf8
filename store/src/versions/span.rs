//! What a declaration version covers: a month (every body), or any period of Paris dates (the
//! SACD bordereau of `releve run --body sacd --from --to` and of the weekly schedule).
//!
//! Stored in the `month` column of `declaration_versions` and `audit_log` as its text: `YYYY-MM`
//! or `YYYY-MM-DD_YYYY-MM-DD` — the same text as the outbox's `period` and the period's output
//! folder (`OUT/<org>/sacd/<FROM>_<TO>/`). Each span has its own version numbers, so the key
//! `(org, body, month, number)` of migration 0003 holds for periods unchanged.

use chrono::NaiveDate;
use releve_domain::Month;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A month, or a period (both ends included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Span {
    Month(Month),
    Period { from: NaiveDate, to: NaiveDate },
}

impl Span {
    /// The month of a month; for a period, the month of its first day (where versions of a
    /// period are listed beside the months).
    pub fn month(self) -> Month {
        match self {
            Span::Month(m) => m,
            Span::Period { from, .. } => Month::of_date(from),
        }
    }

    /// `Some((from, to))` for a period.
    pub fn period(self) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Span::Month(_) => None,
            Span::Period { from, to } => Some((from, to)),
        }
    }

    /// For messages: `2025-11`, or `du 2025-11-14 au 2025-11-20`.
    pub fn label_fr(self) -> String {
        match self {
            Span::Month(m) => m.to_string(),
            Span::Period { from, to } => format!("du {from} au {to}"),
        }
    }

    /// Parses the stored text (`YYYY-MM` or `YYYY-MM-DD_YYYY-MM-DD`).
    pub fn parse(text: &str) -> Option<Span> {
        if let Some((from, to)) = text.split_once('_') {
            let date = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
            let (from, to) = (date(from)?, date(to)?);
            return (from <= to).then_some(Span::Period { from, to });
        }
        text.parse::<Month>().ok().map(Span::Month)
    }
}

impl From<Month> for Span {
    fn from(month: Month) -> Span {
        Span::Month(month)
    }
}

impl From<Span> for String {
    fn from(span: Span) -> String {
        span.to_string()
    }
}

impl TryFrom<String> for Span {
    type Error = String;
    fn try_from(text: String) -> Result<Span, String> {
        Span::parse(&text).ok_or_else(|| format!("période illisible « {text} »"))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Month(m) => write!(f, "{m}"),
            Span::Period { from, to } => write!(f, "{from}_{to}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_text_reads_back() {
        let month: Month = "2025-11".parse().unwrap();
        assert_eq!(Span::parse("2025-11"), Some(Span::Month(month)));
        let week = Span::parse("2025-11-14_2025-11-20").unwrap();
        assert_eq!(week.to_string(), "2025-11-14_2025-11-20");
        assert_eq!(week.month(), month);
        assert_eq!(Span::parse("2025-11-20_2025-11-14"), None);
        assert_eq!(Span::parse("novembre"), None);
    }
}
