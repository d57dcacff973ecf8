//! What the pages say about a declaration version, in French: its state as the workspace names
//! it, the amount due and the deadline read from the stored model, days left, and the French
//! formatting of the model's machine values. Pure functions, so that the wording is tested
//! once and every page agrees.

use chrono::NaiveDate;
use releve_declarations::render::fr;
use releve_declarations::Body;
use releve_domain::Money;
use releve_store::{VersionRecord, VersionStatus};

/// The five bodies, in the order of the cards.
pub const BODIES: [Body; 5] = [Body::Sibil, Body::Cnm, Body::Astp, Body::Sacem, Body::Sacd];

pub fn parse_body(code: &str) -> Option<Body> {
    BODIES.into_iter().find(|b| b.code() == code)
}

/// The short name of a body on a card (`SIBIL`, `CNM`…).
pub fn short_name(body: Body) -> String {
    body.code().to_uppercase()
}

/// The state of a version as the dashboard names it, and a CSS class for its badge.
pub fn state_fr(v: &VersionRecord) -> (&'static str, &'static str) {
    match v.status {
        VersionStatus::Draft if v.is_amendment => ("rectificatif à approuver", "warn"),
        VersionStatus::Draft => ("brouillon", "draft"),
        VersionStatus::Superseded => ("remplacé", "muted"),
        VersionStatus::Approved => ("approuvé", "ok"),
        VersionStatus::Submitted => ("envoyé", "sent"),
        VersionStatus::Accepted => ("envoyé, accepté", "sent"),
        VersionStatus::Rejected => ("envoyé, rejeté", "bad"),
    }
}

/// The version a card shows: the newest that is not superseded.
pub fn current(versions: &[VersionRecord]) -> Option<&VersionRecord> {
    versions
        .iter()
        .filter(|v| v.status != VersionStatus::Superseded)
        .max_by_key(|v| v.number)
}

fn date_of(value: &serde_json::Value) -> Option<NaiveDate> {
    value.as_str().and_then(|s| s.parse().ok())
}

/// The earliest deadline of a declaration model: `deadline` (CNM, ASTP, SIBIL), or the
/// earliest of its lines' (SACD) or shows' (SACEM).
pub fn deadline(model: &serde_json::Value) -> Option<NaiveDate> {
    if let Some(d) = date_of(&model["deadline"]) {
        return Some(d);
    }
    ["lines", "shows"]
        .iter()
        .filter_map(|key| model[*key].as_array())
        .flatten()
        .filter_map(|item| date_of(&item["deadline"]))
        .min()
}

/// The amount due where releve computes one from the figures (CNM, ASTP: the tax).
pub fn amount_due(body: Body, model: &serde_json::Value) -> Option<Money> {
    match body {
        Body::Cnm | Body::Astp => model["totals"]["tax_due"]
            .as_str()
            .and_then(|s| Money::parse(s).ok()),
        _ => None,
    }
}

/// `dans 12 jours`, `aujourd'hui`, `dépassée de 3 jours`.
pub fn days_left_fr(deadline: NaiveDate, today: NaiveDate) -> (String, bool) {
    let days = (deadline - today).num_days();
    let text = match days {
        0 => "aujourd'hui (dernier jour)".to_string(),
        1 => "demain".to_string(),
        d if d > 1 => format!("dans {d} jours"),
        -1 => "dépassée d'un jour".to_string(),
        d => format!("dépassée de {} jours", -d),
    };
    (text, days < 0)
}

/// A machine value of the model for a page: amounts `"1234.50"` → `1 234,50 €`, dates →
/// `14/11/2025`, instants → `14/11/2025 20:30`, booleans → oui/non, null → empty.
pub fn cell(kind: Kind, value: &serde_json::Value) -> String {
    match (kind, value) {
        (_, serde_json::Value::Null) => String::new(),
        (Kind::Money, v) => v
            .as_str()
            .and_then(|s| Money::parse(s).ok())
            .map(fr::money)
            .unwrap_or_else(|| plain(v)),
        (Kind::Rate, v) => match v.as_str().and_then(|s| s.parse().ok()) {
            Some(rate) => fr::rate(rate),
            None => plain(v),
        },
        (Kind::Count, v) => v.as_u64().map(fr::count).unwrap_or_else(|| plain(v)),
        (Kind::Date, v) => date_of(v).map(fr::date).unwrap_or_else(|| plain(v)),
        (Kind::Instant, v) => v
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_else(|| plain(v)),
        (Kind::Text, v) => plain(v),
    }
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "oui".into(),
        serde_json::Value::Bool(false) => "non".into(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// How a column's values are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Money,
    Rate,
    Count,
    Date,
    Instant,
}

impl Kind {
    /// Numbers are right-aligned.
    pub fn numeric(self) -> bool {
        matches!(self, Kind::Money | Kind::Rate | Kind::Count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deadlines_are_read_from_each_model_shape() {
        assert_eq!(
            deadline(&json!({"deadline": "2026-02-28"})),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        // SACD: the earliest of the lines (performance date + 30 days).
        let sacd = json!({"lines": [{"deadline": "2025-12-30"}, {"deadline": "2025-12-14"}]});
        assert_eq!(deadline(&sacd), NaiveDate::from_ymd_opt(2025, 12, 14));
        assert_eq!(deadline(&json!({"shows": []})), None);
    }

    #[test]
    fn days_left_in_french() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            days_left_fr(d(2026, 12, 15), today),
            ("dans 12 jours".into(), false)
        );
        assert_eq!(
            days_left_fr(d(2026, 12, 4), today),
            ("demain".into(), false)
        );
        assert_eq!(
            days_left_fr(today, today),
            ("aujourd'hui (dernier jour)".into(), false)
        );
        assert_eq!(
            days_left_fr(d(2026, 11, 30), today),
            ("dépassée de 3 jours".into(), true)
        );
    }

    #[test]
    fn cells_in_french() {
        assert_eq!(
            cell(Kind::Money, &json!("1234.50")),
            "1\u{202f}234,50\u{a0}€"
        );
        assert_eq!(cell(Kind::Rate, &json!("3.5")), "3,5\u{a0}%");
        assert_eq!(cell(Kind::Date, &json!("2025-11-14")), "14/11/2025");
        assert_eq!(
            cell(Kind::Instant, &json!("2025-11-14T20:30:00+01:00")),
            "14/11/2025 20:30"
        );
        assert_eq!(cell(Kind::Text, &json!(true)), "oui");
        assert_eq!(cell(Kind::Count, &json!(null)), "");
    }

    #[test]
    fn amounts_due_only_for_the_tax() {
        let model = json!({"totals": {"tax_due": "97.91"}});
        assert_eq!(amount_due(Body::Cnm, &model), Some(Money::from_cents(9791)));
        assert_eq!(amount_due(Body::Sacd, &model), None);
    }
}
