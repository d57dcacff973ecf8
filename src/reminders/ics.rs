//! The iCalendar feed (RFC 5545) of an organisation's deadlines, for people's calendars: one
//! all-day event per (month, body) on the last day on time (Paris calendar), with the
//! declaration's state, and an alarm at the first reminder threshold while it is not sent.
//!
//! Deterministic: the same versions and the same clock give the same bytes. `UID` is
//! `<org>-<body>-<month>@releve` (stable across versions, so a calendar updates the event in
//! place), `SEQUENCE` the version number, `DTSTAMP` the clock's instant (UTC). Lines end with
//! CRLF and are folded at 75 octets without cutting a UTF-8 character; text is escaped.

use super::deadlines::Deadline;
use chrono::{DateTime, Duration, Utc};
use releve_declarations::render::fr;

/// Europe/Paris as a `VTIMEZONE` (the EU rule: last Sunday of March and of October).
const PARIS_VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "X-LIC-LOCATION:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// What the feed is about.
pub struct Feed<'a> {
    pub org_slug: &'a str,
    pub org_name: &'a str,
    pub deadlines: &'a [Deadline],
    /// The alarm's lead (the largest `[reminders] days_before`), if any.
    pub alarm_days: Option<u32>,
    pub public_url: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line at 75 octets (continuation lines start with a space) and ends it
/// with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The feed's bytes.
pub fn render(feed: &Feed<'_>) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//releve//echeances//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("Échéances — {}", feed.org_name))
        ),
        "X-WR-TIMEZONE:Europe/Paris".into(),
    ];
    lines.extend(PARIS_VTIMEZONE.iter().map(|l| l.to_string()));
    let stamp = feed.now.format("%Y%m%dT%H%M%SZ").to_string();
    for d in feed.deadlines {
        let body = d.body.to_uppercase();
        let what = if d.sent { "envoyée" } else { "à envoyer" };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!(
            "UID:{}-{}-{}@releve",
            feed.org_slug, d.body, d.month
        ));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("SEQUENCE:{}", d.version));
        lines.push(format!("DTSTART;VALUE=DATE:{}", date(d.date)));
        lines.push(format!(
            "DTEND;VALUE=DATE:{}",
            date(d.date + Duration::days(1))
        ));
        lines.push(format!(
            "SUMMARY:{}",
            text(&format!(
                "{body} {} : {what} ({})",
                fr::month(d.month),
                feed.org_name
            ))
        ));
        lines.push(format!(
            "DESCRIPTION:{}",
            text(&format!(
                "Déclaration {body} de {} de {}, dernier jour : {}.\nVersion {} : {}.",
                fr::month(d.month),
                feed.org_name,
                fr::date(d.date),
                d.version,
                d.state_fr
            ))
        ));
        if let Some(url) = feed.public_url {
            lines.push(format!(
                "URL:{url}/o/{}/{}/{}",
                feed.org_slug, d.month, d.body
            ));
        }
        lines.push("TRANSP:TRANSPARENT".into());
        if let (Some(days), false) = (feed.alarm_days, d.sent) {
            lines.extend([
                "BEGIN:VALARM".to_string(),
                "ACTION:DISPLAY".into(),
                format!("TRIGGER:-P{days}D"),
                format!(
                    "DESCRIPTION:{}",
                    text(&format!("{body} {} à envoyer", fr::month(d.month)))
                ),
                "END:VALARM".into(),
            ]);
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_cutting_a_character() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        let lines: Vec<&str> = out.split("\r\n").collect();
        // "SUMMARY:" is 8 octets, then 33 × 2 = 66 → 74 octets; the next "é" would make 76.
        assert_eq!(lines[0].len(), 74);
        assert!(lines[1].starts_with(' '));
        assert!(lines.iter().all(|l| l.len() <= 75));
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
