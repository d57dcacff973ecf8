//! Dated rules: every rate, threshold and deadline parameter has a validity range, because
//! finance laws change them (`domain.md` §3). The defaults ship in `data/rules.toml`; a
//! configuration can replace the file. The value in force on a given date applies.

use crate::calendar::{last_day_of_month, Month, Quarter};
use crate::money::Money;
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::OnceLock;

/// One value with its validity range (`valid_to` inclusive, open when absent).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dated<T> {
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub value: T,
}

/// A series of dated values.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct DatedSeries<T>(pub Vec<Dated<T>>);

impl<T: Clone> DatedSeries<T> {
    /// The value in force on `date`; the latest `valid_from` wins if ranges overlap.
    pub fn at(&self, date: NaiveDate) -> Option<T> {
        self.0
            .iter()
            .filter(|d| d.valid_from <= date && d.valid_to.is_none_or(|to| date <= to))
            .max_by_key(|d| d.valid_from)
            .map(|d| d.value.clone())
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub cnm_rate: DatedSeries<Decimal>,
    pub astp_rate: DatedSeries<Decimal>,
    pub collection_threshold: DatedSeries<Money>,
    pub sacem_estimate_rate: DatedSeries<Decimal>,
    pub tax_deadline_months: DatedSeries<i32>,
    pub sibil_deadline_day: DatedSeries<u32>,
    pub sacem_deadline_months: DatedSeries<i32>,
    pub sacd_deadline_days: DatedSeries<i64>,
    /// Days before a SACD deadline from which a line not yet sent is a blocking point.
    #[serde(default = "default_sacd_notice_days")]
    pub sacd_deadline_notice_days: DatedSeries<i64>,
    /// Whether the body's portal takes whole euros (releve then gives the rounded figure to
    /// type beside each amount). Absent from a replacement file: no whole-euro figures.
    #[serde(default = "DatedSeries::empty")]
    pub cnm_portal_whole_euros: DatedSeries<bool>,
    #[serde(default = "DatedSeries::empty")]
    pub astp_portal_whole_euros: DatedSeries<bool>,
}

fn default_sacd_notice_days() -> DatedSeries<i64> {
    DatedSeries(vec![Dated {
        valid_from: NaiveDate::from_ymd_opt(2016, 1, 1).expect("a valid date"),
        valid_to: None,
        value: 7,
    }])
}

impl<T> DatedSeries<T> {
    fn empty() -> DatedSeries<T> {
        DatedSeries(Vec::new())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("fichier de règles illisible : {0}")]
    Parse(String),
    #[error("aucune règle « {rule} » en vigueur le {date}")]
    NotInForce { rule: &'static str, date: NaiveDate },
}

const DEFAULT_RULES: &str = include_str!("../data/rules.toml");

impl Rules {
    pub fn default_rules() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| Rules::parse(DEFAULT_RULES).expect("bundled rules are valid"))
    }

    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        toml::from_str(text).map_err(|e| RulesError::Parse(e.to_string()))
    }

    fn get<T: Clone>(
        series: &DatedSeries<T>,
        rule: &'static str,
        date: NaiveDate,
    ) -> Result<T, RulesError> {
        series.at(date).ok_or(RulesError::NotInForce { rule, date })
    }

    pub fn cnm_rate(&self, date: NaiveDate) -> Result<Decimal, RulesError> {
        Self::get(&self.cnm_rate, "cnm_rate", date)
    }

    pub fn astp_rate(&self, date: NaiveDate) -> Result<Decimal, RulesError> {
        Self::get(&self.astp_rate, "astp_rate", date)
    }

    pub fn collection_threshold(&self, date: NaiveDate) -> Result<Money, RulesError> {
        Self::get(&self.collection_threshold, "collection_threshold", date)
    }

    pub fn sacem_estimate_rate(&self, date: NaiveDate) -> Result<Decimal, RulesError> {
        Self::get(&self.sacem_estimate_rate, "sacem_estimate_rate", date)
    }

    /// CNM and ASTP, grouped monthly: last day of the 3rd month after the month.
    pub fn tax_deadline(&self, month: Month) -> Result<NaiveDate, RulesError> {
        let n = Self::get(
            &self.tax_deadline_months,
            "tax_deadline_months",
            month.last_day(),
        )?;
        Ok(month.plus(n).last_day())
    }

    /// SIBIL: décret 2017-926 says "before the 10th day of the first month of each quarter";
    /// the rule holds that day (10), and the deadline is the last day still on time, the day
    /// before (`2025-Q4` → `2026-01-09`).
    pub fn sibil_deadline(&self, quarter: Quarter) -> Result<NaiveDate, RulesError> {
        let last = quarter.last_month().last_day();
        let day = Self::get(&self.sibil_deadline_day, "sibil_deadline_day", last)?;
        let next = quarter.next().first_month();
        let before = NaiveDate::from_ymd_opt(next.year(), next.month(), day)
            .unwrap_or_else(|| next.last_day() + Duration::days(1));
        Ok(before - Duration::days(1))
    }

    /// From how many days before its deadline a SACD line is a blocking point (default 7).
    pub fn sacd_deadline_notice_days(&self, date: NaiveDate) -> Result<i64, RulesError> {
        Self::get(
            &self.sacd_deadline_notice_days,
            "sacd_deadline_notice_days",
            date,
        )
    }

    /// Whether the CNM (or ASTP) portal takes whole euros for the month ending on `date`.
    pub fn portal_whole_euros(&self, astp: bool, date: NaiveDate) -> bool {
        let series = if astp {
            &self.astp_portal_whole_euros
        } else {
            &self.cnm_portal_whole_euros
        };
        series.at(date).unwrap_or(false)
    }

    /// SACEM: last day of the month after the show's last performance.
    pub fn sacem_deadline(&self, last_performance: NaiveDate) -> Result<NaiveDate, RulesError> {
        let n = Self::get(
            &self.sacem_deadline_months,
            "sacem_deadline_months",
            last_performance,
        )?;
        let m = Month::of_date(last_performance).plus(n);
        Ok(last_day_of_month(m.year(), m.month()))
    }

    /// SACD: N days after the performance.
    pub fn sacd_deadline(&self, performance: NaiveDate) -> Result<NaiveDate, RulesError> {
        let n = Self::get(&self.sacd_deadline_days, "sacd_deadline_days", performance)?;
        Ok(performance + Duration::days(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn bundled_rules_give_the_documented_values() {
        let r = Rules::default_rules();
        assert_eq!(r.cnm_rate(d("2025-11-14")).unwrap(), dec!(3.5));
        assert_eq!(
            r.collection_threshold(d("2025-11-14")).unwrap().to_string(),
            "80.00"
        );
        let nov: Month = "2025-11".parse().unwrap();
        assert_eq!(r.tax_deadline(nov).unwrap(), d("2026-02-28"));
        assert_eq!(r.sibil_deadline(nov.quarter()).unwrap(), d("2026-01-09"));
        assert_eq!(r.sacd_deadline_notice_days(d("2025-11-14")).unwrap(), 7);
        assert!(r.portal_whole_euros(false, d("2025-11-30")));
        assert!(!r.portal_whole_euros(true, d("2025-11-30")));
        assert_eq!(r.sacem_deadline(d("2025-11-30")).unwrap(), d("2025-12-31"));
        assert_eq!(r.sacd_deadline(d("2025-11-14")).unwrap(), d("2025-12-14"));
    }

    #[test]
    fn a_replacement_file_without_the_new_rules_still_reads() {
        let text: String = DEFAULT_RULES
            .split("\n[[sacd_deadline_notice_days]]")
            .next()
            .unwrap()
            .to_string();
        let r = Rules::parse(&text).unwrap();
        assert_eq!(r.sacd_deadline_notice_days(d("2025-11-14")).unwrap(), 7);
        assert!(!r.portal_whole_euros(false, d("2025-11-30")));
    }

    #[test]
    fn a_later_law_takes_over_on_its_date() {
        let r = Rules::parse(&DEFAULT_RULES.replace(
            "[[astp_rate]]",
            "[[astp_rate]]\nvalid_from = \"2027-01-01\"\nvalue = \"4\"\n\n[[astp_rate]]",
        ))
        .unwrap();
        assert_eq!(r.astp_rate(d("2026-12-31")).unwrap(), dec!(3.5));
        assert_eq!(r.astp_rate(d("2027-01-01")).unwrap(), dec!(4));
        assert!(r.cnm_rate(d("2003-12-31")).is_err());
    }
}
