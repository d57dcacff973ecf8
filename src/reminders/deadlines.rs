//! The deadlines of an organisation's declarations, read from the stored versions: for each
//! (month, body), the current version (the newest not superseded, as the dashboard shows it),
//! its earliest deadline and whether it has left releve. One list for the dashboard's "next
//! deadlines", the reminders and the `.ics` feed, so that they always agree.

use crate::server::pages::view;
use chrono::NaiveDate;
use releve_domain::Month;
use releve_store::{VersionRecord, VersionStatus};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub month: Month,
    pub body: String,
    /// The current version's number and state (French, as the workspace names it).
    pub version: u32,
    pub state_fr: &'static str,
    /// The CSS class of its badge in the workspace.
    pub state_class: &'static str,
    pub status: VersionStatus,
    /// The last day on time (Paris calendar).
    pub date: NaiveDate,
    /// Sent (or sent and accepted): nothing left to do for it.
    pub sent: bool,
}

/// Every deadline of these versions (one organisation's), soonest first, then by body.
pub fn of_versions(versions: &[VersionRecord]) -> Vec<Deadline> {
    let mut pairs: Vec<(Month, &str)> = versions
        .iter()
        .map(|v| (v.month, v.body.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut list = Vec::new();
    for (month, body) in pairs {
        let of_pair: Vec<VersionRecord> = versions
            .iter()
            .filter(|v| v.month == month && v.body == body)
            .cloned()
            .collect();
        let Some(current) = view::current(&of_pair) else {
            continue;
        };
        let Some(date) = view::deadline(&current.model) else {
            continue;
        };
        list.push(Deadline {
            month,
            body: body.to_string(),
            version: current.number,
            state_fr: view::state_fr(current).0,
            state_class: view::state_fr(current).1,
            status: current.status,
            date,
            sent: matches!(
                current.status,
                VersionStatus::Submitted | VersionStatus::Accepted
            ),
        });
    }
    list.sort_by(|a, b| (a.date, &a.body, a.month).cmp(&(b.date, &b.body, b.month)));
    list
}

/// The reminder due today for a deadline, as its number of days before (`days_before` largest
/// first): the nearest threshold already reached, so that a server stopped for a while sends
/// one late reminder rather than a burst. `None` once the deadline has passed.
pub fn due_reminder(date: NaiveDate, today: NaiveDate, days_before: &[u32]) -> Option<u32> {
    if today > date {
        return None;
    }
    let left = (date - today).num_days();
    days_before
        .iter()
        .copied()
        .filter(|n| i64::from(*n) >= left)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_nearest_threshold_reached_is_due() {
        let deadline = d("2025-12-31");
        let days = [7, 2];
        assert_eq!(due_reminder(deadline, d("2025-12-23"), &days), None);
        assert_eq!(due_reminder(deadline, d("2025-12-24"), &days), Some(7));
        assert_eq!(due_reminder(deadline, d("2025-12-28"), &days), Some(7));
        assert_eq!(due_reminder(deadline, d("2025-12-29"), &days), Some(2));
        // A server started on the last day sends the two-day reminder, once, not both.
        assert_eq!(due_reminder(deadline, d("2025-12-31"), &days), Some(2));
        assert_eq!(due_reminder(deadline, d("2026-01-01"), &days), None);
        assert_eq!(due_reminder(deadline, d("2025-12-30"), &[]), None);
        assert_eq!(due_reminder(deadline, d("2025-12-31"), &[0]), Some(0));
    }
}
