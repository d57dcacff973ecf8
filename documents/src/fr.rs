//! The one French formatter: amounts, counts, decimals, percentages, rates, dates, months and
//! SIRET as every document, workspace page and e-mail writes them. Never for JSON, CSV or XML,
//! which keep machine formats.
//!
//! Spaces follow French typography: a narrow no-break space (U+202F) groups thousands, a
//! no-break space (U+00A0) goes before `€` and `%`, so that a figure never breaks across lines.

use chrono::{DateTime, NaiveDate, Utc};
use releve_domain::calendar::PARIS;
use releve_domain::money::group_thousands;
use releve_domain::{Money, Month};
use rust_decimal::Decimal;

/// `14/11/2025`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `28 février 2026`.
pub fn long_date(d: NaiveDate) -> String {
    let month = Month::of_date(d).to_french();
    let name = month.split(' ').next().unwrap_or_default();
    // French writes the first day of a month as an ordinal: « 1er décembre ».
    let day = match chrono::Datelike::day(&d) {
        1 => "1er".to_string(),
        n => n.to_string(),
    };
    format!("{day} {} {}", name, chrono::Datelike::year(&d))
}

/// `novembre 2025`.
pub fn month(m: Month) -> String {
    m.to_french()
}

/// `1 234,50 €` (narrow no-break space for thousands).
pub fn money(m: Money) -> String {
    m.to_french()
}

/// A percent rate: `3,5 %`, `20 %`.
pub fn rate(r: Decimal) -> String {
    format!("{}\u{a0}%", r.normalize().to_string().replace('.', ","))
}

/// A count with grouped thousands: `1 234`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// A decimal quantity, trailing zeros dropped: `1 234,5` (hours, cachets).
pub fn number(d: Decimal) -> String {
    let text = d.normalize().to_string();
    match text.split_once('.') {
        Some((int, frac)) => format!("{},{frac}", group_thousands(int)),
        None => group_thousands(&text),
    }
}

/// A percentage with one decimal, as the indicators give it: `62,5 %`, `100,0 %`.
pub fn percent(p: Decimal) -> String {
    let text = format!("{:.1}", p);
    let (int, frac) = text.split_once('.').unwrap_or((&text, "0"));
    format!("{},{frac}\u{a0}%", group_thousands(int))
}

/// Short month for chart labels: `nov. 25`.
pub fn short_month(m: Month) -> String {
    const NAMES: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    format!("{} {}", NAMES[m.month() as usize - 1], m.year() % 100)
}

/// An instant as a Paris wall-clock date and time: `05/12/2025 à 09:00`.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&PARIS)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// An amount with its sign, for differences: `+0,83 €`, `-12,00 €`, `0,00 €`.
pub fn signed_money(m: Money) -> String {
    if m.amount() > Decimal::ZERO {
        format!("+{}", m.to_french())
    } else {
        m.to_french()
    }
}

/// A SIRET grouped as printed on forms: `812 345 676 00009`.
pub fn siret(digits: &str) -> String {
    if digits.len() == 14 && digits.chars().all(|c| c.is_ascii_digit()) {
        format!(
            "{} {} {} {}",
            &digits[0..3],
            &digits[3..6],
            &digits[6..9],
            &digits[9..14]
        )
    } else {
        digits.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn french_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(date(d), "28/02/2026");
        assert_eq!(long_date(d), "28 février 2026");
        assert_eq!(rate(dec!(3.50)), "3,5\u{a0}%");
        assert_eq!(rate(dec!(20)), "20\u{a0}%");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(count(999), "999");
        assert_eq!(siret("81234567600009"), "812 345 676 00009");
        assert_eq!(money(Money::from_cents(123450)), "1\u{202f}234,50\u{a0}€");
        assert_eq!(money(Money::from_cents(-50)), "-0,50\u{a0}€");
        assert_eq!(signed_money(Money::from_cents(83)), "+0,83\u{a0}€");
        assert_eq!(number(dec!(1234.50)), "1\u{202f}234,5");
        assert_eq!(number(dec!(12)), "12");
        assert_eq!(percent(dec!(62.5)), "62,5\u{a0}%");
        assert_eq!(percent(dec!(100)), "100,0\u{a0}%");
        assert_eq!(short_month(Month::new(2025, 11).unwrap()), "nov. 25");
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 12, 5, 8, 0, 0).unwrap();
        assert_eq!(date_time(at), "05/12/2025 à 09:00");
    }
}

/// What is missing, after "n'a pas": `d'adresse`, `d'adresse ni de ville`,
/// `d'adresse, de code postal ni de ville` (elision before a vowel).
pub fn none_of(items: &[&str]) -> String {
    let de = |item: &&str| {
        if item.starts_with(['a', 'e', 'é', 'i', 'o', 'u', 'h']) {
            format!("d'{item}")
        } else {
            format!("de {item}")
        }
    };
    let parts: Vec<String> = items.iter().map(de).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} ni {last}", init.join(", ")),
    }
}

/// "à adresser …" to a SACEM delegation: `à la délégation d'Angers` for "Délégation d'Angers".
pub fn to_delegation(name: &str) -> String {
    match name.strip_prefix("Délégation ") {
        Some(rest) => format!("à la délégation {rest}"),
        None => format!("à {name}"),
    }
}

#[cfg(test)]
mod grammar_tests {
    use super::*;

    #[test]
    fn missing_items_and_delegations_read_as_french() {
        assert_eq!(none_of(&["adresse"]), "d'adresse");
        assert_eq!(
            none_of(&["adresse", "code postal", "ville"]),
            "d'adresse, de code postal ni de ville"
        );
        assert_eq!(
            to_delegation("Délégation d'Angers"),
            "à la délégation d'Angers"
        );
        assert_eq!(to_delegation("SACEM Paris"), "à SACEM Paris");
    }
}
