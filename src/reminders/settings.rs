//! `[reminders]` of the configuration (`formats.md` §2): how many days before a deadline the
//! contact is reminded, and whether each scheduled run is reported. Reminders need `[mail]`
//! and the organisation's `contact_email`; without them nothing is sent.

use anyhow::{bail, Result};
use serde::Deserialize;
use std::path::Path;

/// Days before a deadline when a reminder goes out, by default: a week ahead leaves time to
/// run, check and approve; two days ahead catches what is still not sent.
pub const DEFAULT_DAYS_BEFORE: [u32; 2] = [7, 2];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReminders {
    #[serde(default)]
    days_before: Option<Vec<u32>>,
    #[serde(default)]
    run_reports: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Largest first, without repeats; empty: no deadline reminder.
    pub days_before: Vec<u32>,
    /// An e-mail after each scheduled run of `releve serve`.
    pub run_reports: bool,
}

impl Default for ReminderSettings {
    fn default() -> ReminderSettings {
        ReminderSettings {
            days_before: DEFAULT_DAYS_BEFORE.to_vec(),
            run_reports: true,
        }
    }
}

pub fn validate(raw: Option<RawReminders>, path: &Path) -> Result<ReminderSettings> {
    let Some(raw) = raw else {
        return Ok(ReminderSettings::default());
    };
    let mut days = raw
        .days_before
        .unwrap_or_else(|| DEFAULT_DAYS_BEFORE.to_vec());
    if let Some(d) = days.iter().find(|d| **d > 60) {
        bail!(
            "configuration {} : [reminders] days_before = {d} invalide (au plus 60 jours avant l'échéance)",
            path.display()
        );
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    Ok(ReminderSettings {
        days_before: days,
        run_reports: raw.run_reports.unwrap_or(true),
    })
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    const ORG: &str = "[[organisation]]\nslug = \"digues\"\nname = \"Théâtre des Digues\"\nsiret = \"81234567600009\"\n";

    fn parse(root: &str) -> anyhow::Result<Config> {
        Config::parse(
            &format!("{root}\n{ORG}"),
            Path::new("/srv/releve/releve.toml"),
        )
    }

    #[test]
    fn defaults_order_and_refusals() {
        let c = parse("").unwrap();
        assert_eq!(c.reminders.days_before, [7, 2]);
        assert!(c.reminders.run_reports);
        let c = parse("[reminders]\ndays_before = [1, 10, 1]\nrun_reports = false\n").unwrap();
        assert_eq!(c.reminders.days_before, [10, 1]);
        assert!(!c.reminders.run_reports);
        let e = parse("[reminders]\ndays_before = [90]\n").unwrap_err();
        assert!(e.to_string().contains("au plus 60 jours"), "{e}");
        assert!(parse("[reminders]\njours = [3]\n").is_err());
    }
}
